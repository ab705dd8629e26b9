import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, ApiSchema } from '@nestjs/swagger';

/**
 * The shapes the API reads and answers, for its OpenAPI documents; the controllers name
 * them in their decorators. What the service really sends is built elsewhere
 * (`statusBody`, `CheckCapacity`, `PlanRegistration`); the contract tests hold both.
 */
@ApiSchema({ name: 'JobStatus', description: "A region's latest registration or de-registration job" })
export class JobStatusModel {
  @ApiProperty({
    description: 'While running: [1, "The registration is on progress"]; once ended: the final message',
    oneOf: [{ type: 'string' }, { type: 'array', items: { oneOf: [{ type: 'integer' }, { type: 'string' }] } }],
  })
  status!: string | [number, string];

  @ApiProperty({ type: 'integer', description: '1 running, 0 success, 10 region not in A&AI, 11 failure, or the HTTP status of the remote call that failed' })
  code!: number;

  @ApiProperty({ enum: ['in-progress', 'succeeded', 'failed'] })
  state!: string;

  @ApiProperty({ enum: ['register', 'unregister'] })
  kind!: string;

  @ApiProperty({ enum: ['request', 'sync'], description: 'an API request, or the periodic sync' })
  trigger!: string;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  finishedAt?: string;

  @ApiPropertyOptional({ type: [String], description: 'the vimids the registration wrote (the region and its subclouds)' })
  regions?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'integer' }, description: 'objects read, by kind' })
  counts?: Record<string, number>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'object' }, description: 'what was written, per vimid' })
  changes?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String] })
  warnings?: string[];

  @ApiPropertyOptional({
    description:
      'deletes not applied: more than RECONCILE_MAX_DELETE_PERCENT of one kind in one region (where A&AI holds at least 10 of it); ' +
      "each with its region's vimid; POST the registry with ?confirmDeletes=true to apply them",
    type: 'array',
    items: {
      type: 'object',
      properties: { kind: { type: 'string' }, count: { type: 'integer' }, of: { type: 'integer' }, ids: { type: 'array', items: { type: 'string' } }, vimid: { type: 'string' } },
    },
  })
  held?: Array<{ kind: string; count: number; of: number; ids: string[]; vimid?: string }>;
}

@ApiSchema({ name: 'RegistryBody', description: 'Optional; JSON or form-encoded (defaultTenant=x), whatever the content type; a body that cannot be read is ignored' })
export class RegistryBodyModel {
  @ApiPropertyOptional({ description: 'Scopes the registration when no Project header does' })
  defaultTenant?: string;
}

@ApiSchema({ name: 'RegionPlan', description: "One region's dry run: ids by object kind" })
export class RegionPlanModel {
  @ApiProperty()
  vimid!: string;

  @ApiProperty()
  openstackRegionId!: string;

  @ApiProperty({ enum: ['create', 'update', 'delete', 'unchanged'] })
  action!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } })
  create?: Record<string, string[]>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } })
  update?: Record<string, string[]>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } })
  delete?: Record<string, string[]>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'integer' } })
  unchanged?: Record<string, number>;

  @ApiPropertyOptional({
    description: 'objects a registration would not delete, with the reason',
    type: 'array',
    items: { type: 'object', properties: { kind: { type: 'string' }, id: { type: 'string' }, reason: { type: 'string' } } },
  })
  kept?: Array<{ kind: string; id: string; reason: string }>;

  @ApiPropertyOptional({
    description:
      'deletes not applied: more than RECONCILE_MAX_DELETE_PERCENT of one kind in one region (where A&AI holds at least 10 of it); ' +
      'POST the registry with ?confirmDeletes=true to apply them',
    type: 'array',
    items: {
      type: 'object',
      properties: { kind: { type: 'string' }, count: { type: 'integer' }, of: { type: 'integer' }, ids: { type: 'array', items: { type: 'string' } }, vimid: { type: 'string' } },
    },
  })
  held?: Array<{ kind: string; count: number; of: number; ids: string[]; vimid?: string }>;
}

@ApiSchema({ name: 'RegistrationPlan', description: 'What a registration would change now; nothing is written' })
export class RegistrationPlanModel {
  @ApiProperty()
  vimid!: string;

  @ApiProperty({ type: [RegionPlanModel] })
  regions!: RegionPlanModel[];

  @ApiPropertyOptional({ type: [String] })
  warnings?: string[];
}

@ApiSchema({
  name: 'CapacityDemand',
  description: 'Each a non-negative number or numeric string ("10"); fractions are truncated toward zero; other keys are ignored',
})
export class CapacityDemandModel {
  @ApiProperty({ type: 'number', minimum: 0 })
  vCPU!: number;

  @ApiProperty({ type: 'number', minimum: 0, description: 'MB' })
  Memory!: number;

  @ApiProperty({ type: 'number', minimum: 0, description: 'GB' })
  Storage!: number;

  @ApiProperty({ type: 'number', minimum: 0, required: false, description: 'dedicated cores (Placement PCPU, hw:cpu_policy=dedicated); absent: 0' })
  pCPU?: number;
}

@ApiSchema({ name: 'AZInfo' })
export class AzInfoModel {
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

  @ApiProperty({ description: 'GB; a sharing provider (shared storage) counted once per zone' })
  StorageTotal!: number;

  @ApiProperty({ description: 'dedicated cores (Placement PCPU) free' })
  pCPUAvail!: number;

  @ApiProperty({ description: 'dedicated cores (Placement PCPU)' })
  pCPUTotal!: number;

  @ApiProperty({ required: false, description: 'true: the zone has schedulable hosts but none matches a resource provider; its figures are left out (never zeros)' })
  unknown?: boolean;

  @ApiProperty({ format: 'date-time', description: 'end of the audit the figures come from' })
  asOf!: string;

  @ApiProperty({ description: 'the last audit failed, or none succeeded for 3 intervals' })
  stale!: boolean;

  @ApiProperty({ description: 'one host of the zone has room for the whole demand at once (within max_unit)' })
  fits!: boolean;
}

@ApiSchema({ name: 'CapacityCheck' })
export class CapacityCheckModel {
  @ApiProperty({ description: "the quota/limits rule (capped with the zones' allocation ratios) and one zone fits: a fresh one, or with none fresh a stale one" })
  result!: boolean;

  @ApiProperty({ type: [AzInfoModel] })
  AZs!: AzInfoModel[];

  @ApiProperty({
    enum: ['fresh', 'stale', 'unknown'],
    description: 'fresh: some zone has fresh figures; stale: all are stale; unknown: no audit data',
  })
  azCapacity!: string;
}

@ApiSchema({
  name: 'Workload',
  description: "SO's MulticloudQueryResponse: exactly these four keys, on every answer of the workload API (errors included)",
})
export class WorkloadBodyModel {
  @ApiProperty({ enum: ['HEAT'] })
  template_type!: string;

  @ApiProperty({ description: 'the stack id' })
  workload_id!: string;

  @ApiProperty({ description: "CREATE_IN_PROGRESS, CREATE_COMPLETE, UPDATE_*, DELETE_*, GET_COMPLETE, *_FAILED, or Heat's stack_status" })
  workload_status!: string;

  @ApiProperty({
    description: 'a message, or Heat\'s answer: {"stack": {…}} (with outputs), {"stacks": […]}',
    oneOf: [{ type: 'string' }, { type: 'object' }],
  })
  workload_status_reason!: string | Record<string, unknown>;
}

@ApiSchema({ name: 'Error' })
export class ErrorModel {
  @ApiProperty()
  error!: string;

  @ApiPropertyOptional({ description: 'capacity_check errors only: false' })
  result?: boolean;
}

/** What each error status means, whichever route answers it. */
const ERRORS = {
  400: 'an id or path that does not decode, or a bad body: nothing else runs',
  401: "no X-Auth-Token, or one the region's Keystone does not accept",
  404: 'not found: the region in A&AI, its job, or the service in its catalog',
  413: 'a body over the limit',
  415: 'a body encoding or charset the service does not read',
  500: 'a remote call failed, or answered something that is not the documented shape (the message names the call)',
  502: 'the cloud (or the remote call named) cannot be reached',
  503: "the service's store cannot be read or written, or a POST/DELETE while the replica is stopping",
  504: 'past its overall deadline',
} as const;

/** The error answers of a route: `{"error": "…"}` with each status given. */
export function ApiErrors(...statuses: Array<keyof typeof ERRORS>): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: ERRORS[status], type: ErrorModel })));
}
