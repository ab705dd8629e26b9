import { Settings } from '../../src/application/ports/settings.port';
import { AaiSchemaVersion } from '../../src/domain/aai-schema-version';

export function testSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    msbBaseUrl: 'http://msb:80',
    aaiSchema: new AaiSchemaVersion('v13'),
    k8sSoftwareVersions: [],
    regionConfirmTries: 3,
    regionConfirmIntervalMs: 1,
    jobTimeoutMs: 10_000,
    jobClaimTtlMs: 30_000,
    jobTaskConcurrency: 8,
    jobRegionConcurrency: 4,
    audit: { v0IntervalMs: 10_000, v1IntervalMs: 5_000, concurrency: 4 },
    cpuAllocationRatio: 16,
    capacityCheckTimeoutMs: 20_000,
    registrySyncIntervalMs: 0,
    vimInfoCacheMs: 0,
    reconcileMaxDeletePercent: 50,
    ...overrides,
  };
}
