import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The shapes the API answers with, for its OpenAPI documents (the controllers name them). */
export class JobStatusBody {
  @ApiProperty({
    description: 'While running: [1, "The registration is on progress"]; once ended: the final message',
    oneOf: [{ type: 'string' }, { type: 'array', items: {} }],
  })
  status!: string | [number, string];

  @ApiProperty({ description: '1 running, 0 success, 10 region not in A&AI, 11 failure, or the HTTP status of the remote call that failed' })
  code!: number;

  @ApiProperty({ enum: ['in-progress', 'succeeded', 'failed'] })
  state!: string;

  @ApiProperty({ enum: ['register', 'unregister'] })
  kind!: string;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  finishedAt?: string;

  @ApiPropertyOptional({ type: [String] })
  regions?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'integer' } })
  counts?: Record<string, number>;

  @ApiPropertyOptional({ type: [String] })
  warnings?: string[];
}

export class AzCapacityBody {
  @ApiProperty({ name: 'availability-zone-name' })
  'availability-zone-name'!: string;

  @ApiProperty()
  vCPUAvail!: number;

  @ApiProperty()
  vCPUTotal!: number;

  @ApiProperty({ description: 'GB' })
  MemoryAvail!: number;

  @ApiProperty({ description: 'GB' })
  MemoryTotal!: number;

  @ApiProperty({ description: 'GB' })
  StorageAvail!: number;

  @ApiProperty({ description: 'GB' })
  StorageTotal!: number;
}

export class CapacityCheckBody {
  @ApiProperty()
  result!: boolean;

  @ApiProperty({ type: [AzCapacityBody] })
  AZs!: AzCapacityBody[];
}

export class ErrorBody {
  @ApiProperty()
  error!: string;

  @ApiPropertyOptional({ description: 'capacity_check errors only: false' })
  result?: boolean;
}
