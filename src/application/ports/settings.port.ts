import { AaiSchemaVersion } from '../../domain/aai-schema-version';

/** What the use cases need from configuration (bound from config/app.config.ts). */
export abstract class Settings {
  /** `{MSB_PROTO}://{MSB_ADDR}:{MSB_PORT}`: composes identity-url. */
  abstract readonly msbBaseUrl: string;
  abstract readonly aaiSchema: AaiSchemaVersion;
  /** StarlingX software versions that run Kubernetes; empty: 19.10 and every release after. */
  abstract readonly k8sSoftwareVersions: string[];
  /** Reading back a cloud region until A&AI shows the new identity-url. */
  abstract readonly regionConfirmTries: number;
  abstract readonly regionConfirmIntervalMs: number;
  /** A registration or de-registration job that runs longer is stopped. */
  abstract readonly jobTimeoutMs: number;
  /**
   * Life of a job's claim on its vimid unless renewed: a dead replica's work is taken
   * over after it; a job that cannot renew stops itself before it ends.
   */
  abstract readonly jobClaimTtlMs: number;
  /** Objects all jobs of this replica work on at once (remote calls are bounded again per system). */
  abstract readonly jobTaskConcurrency: number;
  /** Regions all jobs of this replica register at once: what a region holds while it is planned (its A&AI read, its listings) is held this many times at most. */
  abstract readonly jobRegionConcurrency: number;
  abstract readonly audit: {
    v0IntervalMs: number;
    v1IntervalMs: number;
    /** AZCAP_AUDIT_INTERVAL_MS: one interval for every region. */
    overrideIntervalMs?: number;
    /** Regions audited at once by this replica. */
    concurrency: number;
    /** A region's audit is stopped after this long (default: 80% of its interval). */
    timeoutMs?: number;
  };
  abstract readonly cpuAllocationRatio: number;
  /** A capacity_check that takes longer is stopped and answered as failed. */
  abstract readonly capacityCheckTimeoutMs: number;
  /** REGISTRY_SYNC_INTERVAL_MS: registered regions are registered again this often; 0 = never. */
  abstract readonly registrySyncIntervalMs: number;
  /** How long the audit and capacity_check reuse a region's A&AI record. */
  abstract readonly vimInfoCacheMs: number;
  /** RECONCILE_MAX_DELETE_PERCENT: a larger share of one kind deleted in one region is held (SPEC 7); 100 = never. */
  abstract readonly reconcileMaxDeletePercent: number;
}
