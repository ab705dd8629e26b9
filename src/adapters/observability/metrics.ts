import { Counter, Gauge, Histogram, collectDefaultMetrics, register } from 'prom-client';

/**
 * Every series of SPEC section 10, in prom-client's default registry (one per
 * process), served by GET /metrics. The names here are the ones the Grafana dashboard
 * (deploy/grafana/) queries; test/contract/metrics.e2e-spec.ts checks both.
 */
export const metrics = {
  httpRequests: new Counter({
    name: 'multicloud_http_requests_total',
    help: 'HTTP requests served, by route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const,
  }),
  httpDuration: new Histogram({
    name: 'multicloud_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern and method',
    labelNames: ['route', 'method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }),
  jobs: new Counter({
    name: 'multicloud_jobs_total',
    help: 'Registration and de-registration jobs ended, by kind and outcome (succeeded, failed)',
    labelNames: ['kind', 'outcome'] as const,
  }),
  jobDuration: new Histogram({
    name: 'multicloud_job_duration_seconds',
    help: 'Duration of ended jobs, by kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
  }),
  jobsRunning: new Gauge({ name: 'multicloud_jobs_running', help: 'Jobs running on this replica' }),
  jobsQueued: new Gauge({
    name: 'multicloud_jobs_queued',
    help: "Requests waiting for a region's running job on this replica to end",
  }),
  remoteCalls: new Counter({
    name: 'multicloud_remote_calls_total',
    help: 'Remote calls (each attempt), by system and HTTP status ("error": no answer)',
    labelNames: ['system', 'status'] as const,
  }),
  remoteDuration: new Histogram({
    name: 'multicloud_remote_call_duration_seconds',
    help: 'Time on the wire of a remote call attempt, by system',
    labelNames: ['system'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  }),
  aaiWrites: new Counter({
    name: 'multicloud_aai_writes_total',
    help: 'A&AI writes A&AI accepted, by action (put, delete, post) and mode (single, bulk)',
    labelNames: ['action', 'mode'] as const,
  }),
  audits: new Counter({
    name: 'multicloud_audits_total',
    help: 'Capacity audits ended on this replica, by outcome (success, failure)',
    labelNames: ['outcome'] as const,
  }),
  auditLag: new Gauge({
    name: 'multicloud_audit_lag_seconds',
    help: "How late a region's latest audit started after it was due",
    labelNames: ['vimid'] as const,
  }),
  auditLastSuccess: new Gauge({
    name: 'multicloud_audit_last_success_timestamp_seconds',
    help: "When a region's latest successful audit ended (Unix time)",
    labelNames: ['vimid'] as const,
  }),
  storeUp: new Gauge({ name: 'multicloud_store_up', help: 'Whether the store (Redis, or in-process memory) is reachable: 1 or 0' }),
};

collectDefaultMetrics({ register });

export const metricsRegistry = register;

/** The names test/contract and the dashboard check against. */
export const SERIES = Object.values(metrics).map((metric) => (metric as unknown as { name: string }).name);
