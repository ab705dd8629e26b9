import { RegionJobs } from '../jobs/region-jobs';
import { LogPort } from '../ports/log.port';
import { Settings } from '../ports/settings.port';
import { WorkloadJobStorePort } from '../ports/workload-store.port';
import { Heatbridge } from './heatbridge';
import { WorkloadCleanup } from './workload-cleanup';

/**
 * The workload jobs of SPEC 13 on the machinery of registration jobs (SPEC 11): kept in
 * the store, claimed one per `{vimid}/{workload-id}` across replicas, swept and resumed
 * when a replica dies (adapters/scheduler/workload-sweep.scheduler.ts). The heatbridge
 * runs as the `register` kind and the cleanup as `unregister`, so a DELETE stops a
 * running heatbridge and runs next, as a de-registration stops a registration.
 */
export class WorkloadJobs extends RegionJobs {
  constructor(store: WorkloadJobStorePort, settings: Settings, log: LogPort, heatbridge: Heatbridge, cleanup: WorkloadCleanup) {
    super(store, settings, log, { register: heatbridge, unregister: cleanup });
  }
}
