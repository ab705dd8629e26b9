import { IsDefined, IsInt, IsNumber, Min } from 'class-validator';

/**
 * The capacity_check body: `{"vCPU": int, "Memory": number (MB), "Storage": int (GB)}`.
 * class-validator runs a property's decorators bottom-up: the type is checked first.
 */
export class CapacityCheckRequest {
  @IsDefined()
  @Min(0)
  @IsInt()
  vCPU!: number;

  @IsDefined()
  @Min(0)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  Memory!: number;

  @IsDefined()
  @Min(0)
  @IsInt()
  Storage!: number;
}
