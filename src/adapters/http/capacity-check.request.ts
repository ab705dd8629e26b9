import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsInt, IsNumber, Min } from 'class-validator';

/**
 * The capacity_check body: `{"vCPU": int, "Memory": number (MB), "Storage": int (GB)}`.
 * class-validator runs a property's decorators bottom-up: the type is checked first.
 */
export class CapacityCheckRequest {
  @ApiProperty({ type: 'integer', minimum: 0 })
  @IsDefined()
  @Min(0)
  @IsInt()
  vCPU!: number;

  @ApiProperty({ minimum: 0, description: 'MB' })
  @IsDefined()
  @Min(0)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  Memory!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'GB' })
  @IsDefined()
  @Min(0)
  @IsInt()
  Storage!: number;
}
