import { readFileSync } from 'node:fs';

import { registerAs } from '@nestjs/config';

import { Settings } from '../application/ports/settings.port';
import { AaiSchemaVersion } from '../domain/aai-schema-version';
import { Env, EnvReader } from './env.validation';
import { Limits, loadLimits } from './limits.config';

export interface AppConfig {
  port: number;
  ssl?: { cert: Buffer; key: Buffer };
  aai: {
    /** `{AAI_SERVICE_URL}/{AAI_SCHEMA_VERSION}` */
    baseUrl: string;
    username: string;
    password: string;
    tlsInsecure: boolean;
    ca?: Buffer;
    /** Operations per bulk/single-transaction; 0 = single-object writes. v13 has no bulk API. */
    bulkOperations: number;
  };
  msbBaseUrl: string;
  /** `{MSB}/api/multicloud-k8s/v1/v1` */
  k8sPluginUrl: string;
  /** MSB_CA_FILE: the CA that signs MSB's certificate (with MSB_PROTO=https). */
  msbCa?: Buffer;
  redisUrl?: string;
  http: {
    timeoutMs: number;
    retries: number;
    retryBaseMs: number;
    aaiConcurrency: number;
    cloudConcurrency: number;
    /** Calls in flight at once to one cloud host (origin). */
    cloudHostConcurrency: number;
    connectTimeoutMs: number;
    maxResponseBytes: number;
    /** Pages read of one paged list before it is cut (with a warning). */
    maxPages: number;
  };
  jobStatusTtlMs: number;
  /** Section 10: log lines as JSON (the container default) or text, from `level` up. */
  log: { format: 'json' | 'text'; level: string };
  /** How long running jobs get after SIGTERM before they stop and are left for another replica. */
  shutdownGraceMs: number;
  /** V8's old-generation growth past the live set at a full collection, in percent (0: V8's own, up to 4x). */
  heapGrowingPercent: number;
  /** Byte bounds of the in-process caches (what each cache counts of its entries). */
  cache: {
    /** The proxy's token catalogs (each token's region endpoints). */
    tokenCatalogBytes: number;
    /** Keystone sessions the service signed in with (token and public catalog). */
    keystoneSessionBytes: number;
    /** Regions read from A&AI, reused by the audit, capacity_check and the proxy. */
    regionReadBytes: number;
  };
  /** Count and byte bounds of caches, queues and buffers (limits.config.ts). */
  limits: Limits;
  settings: Settings;
  /** Safe enough to start, not to leave as is: logged at start (WARN). */
  warnings: string[];
}

export function loadAppConfig(env: Env): AppConfig {
  const read = new EnvReader(env);
  const sslEnabled = read.bool('SSL_ENABLED', false);
  const certFile = read.text('SSL_CERT_FILE');
  const keyFile = read.text('SSL_KEY_FILE');
  if (sslEnabled && (!certFile || !keyFile)) {
    read.problems.push('SSL_ENABLED needs SSL_CERT_FILE and SSL_KEY_FILE');
  }
  const msbProto = read.oneOf('MSB_PROTO', 'http', /^https?$/, 'http or https');
  const msbBaseUrl = `${msbProto}://${read.host('MSB_ADDR', '127.0.0.1', 'MSB_PROTO')}:${read.int('MSB_PORT', 80, 1, 65535)}`;
  const msbHost = msbBaseUrl.slice(msbProto.length + 3).replace(/:\d+$/, '');
  const aaiServiceUrl = read.url('AAI_SERVICE_URL', `https://${read.host('AAI_ADDR', 'aai.api.simpledemo.openecomp.org')}:${read.int('AAI_PORT', 8443, 1, 65535)}/aai`)!;
  const schema = schemaVersion(read);
  const aaiUsername = read.nonEmpty('AAI_USERNAME', 'AAI');
  const aaiPassword = read.nonEmpty('AAI_PASSWORD', 'AAI');
  if (read.text('NODE_ENV') === 'production') productionChecks(read, aaiUsername, aaiPassword);
  const aaiCaFile = read.text('AAI_CA_FILE');
  const msbCaFile = read.text('MSB_CA_FILE');
  const redisUrl = read.url('REDIS_URL', undefined, ['redis:', 'rediss:']);
  const timeoutMs = read.int('HTTP_TIMEOUT_MS', 30_000, 100);
  const audit = {
    v0IntervalMs: 10_000,
    v1IntervalMs: 5_000,
    overrideIntervalMs: read.optionalInt('AZCAP_AUDIT_INTERVAL_MS', 50),
    concurrency: read.int('AZCAP_AUDIT_CONCURRENCY', 32, 1),
    timeoutMs: read.optionalInt('AZCAP_AUDIT_TIMEOUT_MS', 50),
  };
  const config: AppConfig = {
    port: read.int('PORT', 9009, 0, 65535),
    aai: {
      baseUrl: `${aaiServiceUrl}/${schema}`,
      username: aaiUsername,
      password: aaiPassword,
      tlsInsecure: read.bool('AAI_TLS_INSECURE', false),
      ca: aaiCaFile ? readFileOr(read, 'AAI_CA_FILE', aaiCaFile) : undefined,
      bulkOperations: bulkOperations(read, schema),
    },
    msbBaseUrl,
    k8sPluginUrl: `${msbBaseUrl}/api/multicloud-k8s/v1/v1`,
    msbCa: msbCaFile ? readFileOr(read, 'MSB_CA_FILE', msbCaFile) : undefined,
    redisUrl,
    http: {
      timeoutMs,
      retries: read.int('HTTP_RETRIES', 2, 0, 10),
      retryBaseMs: read.int('HTTP_RETRY_BASE_MS', 200, 0),
      aaiConcurrency: read.int('AAI_CONCURRENCY', 16, 1, 1024),
      cloudConcurrency: read.int('CLOUD_CONCURRENCY', 64, 1, 1024),
      cloudHostConcurrency: read.int('CLOUD_HOST_CONCURRENCY', 16, 1, 1024),
      connectTimeoutMs: read.int('HTTP_CONNECT_TIMEOUT_MS', 5_000, 100),
      maxResponseBytes: read.int('HTTP_MAX_RESPONSE_BYTES', 64 * 1024 * 1024, 1024),
      maxPages: read.int('HTTP_MAX_PAGES', 1000, 1),
    },
    jobStatusTtlMs: read.int('JOB_STATUS_TTL_MS', 7 * 24 * 3600 * 1000, 60_000),
    log: {
      format: read.oneOf('LOG_FORMAT', 'text', /^(json|text)$/, 'json or text') as 'json' | 'text',
      level: read.oneOf('LOG_LEVEL', 'info', /^(trace|debug|info|warn|error|fatal|silent)$/, 'trace, debug, info, warn, error, fatal or silent'),
    },
    shutdownGraceMs: read.int('SHUTDOWN_GRACE_MS', 20_000, 0),
    heapGrowingPercent: read.int('HEAP_GROWING_PERCENT', 50, 0, 300),
    cache: {
      tokenCatalogBytes: read.int('TOKEN_CATALOG_CACHE_BYTES', 16 * 1024 * 1024, 1024),
      keystoneSessionBytes: read.int('KEYSTONE_SESSION_CACHE_BYTES', 32 * 1024 * 1024, 1024),
      regionReadBytes: read.int('REGION_CACHE_BYTES', 8 * 1024 * 1024, 1024),
    },
    limits: loadLimits(read),
    settings: {
      msbBaseUrl,
      aaiSchema: new AaiSchemaVersion(schema),
      k8sSoftwareVersions: read.list('K8S_SOFTWARE_VERSIONS'),
      regionConfirmTries: read.int('AAI_CONFIRM_TRIES', 10, 1, 1000),
      regionConfirmIntervalMs: read.int('AAI_CONFIRM_INTERVAL_MS', 500, 0),
      jobTimeoutMs: read.int('JOB_TIMEOUT_MS', 30 * 60 * 1000, 1000),
      jobClaimTtlMs: read.int('JOB_CLAIM_TTL_MS', 30_000, 300),
      jobTaskConcurrency: read.int('JOB_TASK_CONCURRENCY', 64, 1, 4096),
      jobRegionConcurrency: read.int('JOB_REGION_CONCURRENCY', 32, 1, 4096),
      audit,
      cpuAllocationRatio: read.number('CPU_ALLOCATION_RATIO', 16, 0),
      capacityCheckTimeoutMs: read.int('CAPACITY_CHECK_TIMEOUT_MS', 20_000, 100),
      registrySyncIntervalMs: syncInterval(read),
      vimInfoCacheMs: read.int('VIM_INFO_CACHE_MS', 60_000, 0),
      reconcileMaxDeletePercent: read.int('RECONCILE_MAX_DELETE_PERCENT', 50, 0, 100),
    },
    warnings: msbProto === 'http' && !isLoopback(msbHost) ? [plainMsbWarning(msbBaseUrl)] : [],
  };
  if (sslEnabled && certFile && keyFile) {
    config.ssl = { cert: readFileOr(read, 'SSL_CERT_FILE', certFile), key: readFileOr(read, 'SSL_KEY_FILE', keyFile) };
  }
  read.check();
  return config;
}

/** AAI_SCHEMA_VERSION: v11 to v30, the versions A&AI has published or may soon. */
function schemaVersion(read: EnvReader): string {
  const schema = read.oneOf('AAI_SCHEMA_VERSION', 'v13', /^v\d+$/, 'an A&AI schema version such as v13');
  const number = Number(schema.slice(1));
  if (number < 11 || number > 30) {
    read.problems.push(`AAI_SCHEMA_VERSION must be from v11 to v30, got "${schema}"`);
    return 'v13';
  }
  return schema;
}

/**
 * NODE_ENV=production (the image's default): the demo A&AI and its well-known login are
 * refused, in one message saying what to set.
 */
function productionChecks(read: EnvReader, username: string, password: string): void {
  const missing: string[] = [];
  if (read.text('AAI_SERVICE_URL') === undefined) missing.push('AAI_SERVICE_URL (your A&AI, e.g. https://aai.onap:8443/aai)');
  if (username === 'AAI' && password === 'AAI') missing.push('AAI_USERNAME and AAI_PASSWORD (not the default AAI/AAI login)');
  if (missing.length) read.problems.push(`NODE_ENV=production needs ${missing.join(' and ')}`);
}

function isLoopback(host: string): boolean {
  return /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i.test(host);
}

/** The registration hands each region's kubeconfig (its service-account token) to multicloud-k8s through MSB. */
function plainMsbWarning(msbBaseUrl: string): string {
  return `MSB_PROTO=http: Kubernetes service-account tokens go to multicloud-k8s through MSB (${msbBaseUrl}) unencrypted; ` + 'set MSB_PROTO=https, MSB_PORT=443 and MSB_CA_FILE';
}

/** REGISTRY_SYNC_INTERVAL_MS: 0 (off) or at least 100 ms. */
function syncInterval(read: EnvReader): number {
  const ms = read.int('REGISTRY_SYNC_INTERVAL_MS', 3_600_000, 0);
  if (ms > 0 && ms < 100) read.problems.push('REGISTRY_SYNC_INTERVAL_MS must be 0 (off) or at least 100');
  return ms;
}

/** AAI_BULK_OPERATIONS, checked whatever the version; 0 for a schema version without the bulk API. */
function bulkOperations(read: EnvReader, schema: string): number {
  const operations = read.int('AAI_BULK_OPERATIONS', 30, 0, 1000);
  return /^v\d+$/.test(schema) && new AaiSchemaVersion(schema).hasBulkApi ? operations : 0;
}

function readFileOr(read: EnvReader, name: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    read.problems.push(`${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`);
    return Buffer.alloc(0);
  }
}

/** Read on every module compile, so tests can set the environment before building the app. */
export const appConfig = registerAs('app', () => loadAppConfig(process.env));
