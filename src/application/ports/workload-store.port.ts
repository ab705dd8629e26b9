import { JobStorePort } from './job-store.port';

/** What a workload job needs beyond its request, kept until the job's record expires. */
export interface WorkloadSpec {
  vimId: string;
  workloadId: string;
  project?: string;
  genericVnfId?: string;
  vfModuleId?: string;
  /** The stack's servers, as read before its delete (the cleanup's list). */
  serverIds?: string[];
  /** The tenant the heatbridge wrote under, once known. */
  tenantId?: string;
}

/**
 * Workload jobs (heatbridge and cleanup) kept as registration jobs are, under their own
 * keys and their own list of open work, one per `{vimid}/{workload-id}`.
 */
export abstract class WorkloadJobStorePort extends JobStorePort {
  abstract saveSpec(key: string, spec: WorkloadSpec): Promise<void>;
  abstract spec(key: string): Promise<WorkloadSpec | undefined>;
}
