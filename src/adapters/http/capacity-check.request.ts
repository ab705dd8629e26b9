import { IsDefined, IsInt, IsNumber, Min } from 'class-validator';

/** The capacity_check body: `{"vCPU": int, "Memory": number (MB), "Storage": int (GB)}`. */
export class CapacityCheckRequest {
  @IsDefined()
  @IsInt()
  @Min(0)
  vCPU!: number;

  @IsDefined()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  Memory!: number;

  @IsDefined()
  @IsInt()
  @Min(0)
  Storage!: number;
}
