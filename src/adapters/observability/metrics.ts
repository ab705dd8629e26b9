import { Counter, Gauge, Histogram, collectDefaultMetrics, register } from 'prom-client';

/**
 * Every series of SPEC section 10, in prom-client's default registry (one per
 * process), served by GET /metrics. The names here are the ones the Grafana dashboard
 * (deploy/grafana/) queries; test/contract/metrics.e2e-spec.ts checks both.
 */
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const JOB_SECONDS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

function counter<L extends string>(name: string, help: string, ...labelNames: L[]) {
  return new Counter<L>({ name, help, labelNames });
}

function histogram<L extends string>(name: string, help: string, buckets: number[], ...labelNames: L[]) {
  return new Histogram<L>({ name, help, labelNames, buckets });
}

function gauge<L extends string>(name: string, help: string, ...labelNames: L[]) {
  return new Gauge<L>({ name, help, labelNames });
}

export const metrics = {
  httpRequests: counter('multicloud_http_requests_total', 'HTTP requests served, by route pattern, method and status', 'route', 'method', 'status'),
  httpDuration: histogram('multicloud_http_request_duration_seconds', 'Time to answer an HTTP request, by route pattern and method', SECONDS, 'route', 'method'),
  jobs: counter('multicloud_jobs_total', 'Registration and de-registration jobs ended, by kind and outcome (succeeded, failed)', 'kind', 'outcome'),
  jobDuration: histogram('multicloud_job_duration_seconds', 'Duration of ended jobs, by kind and outcome', JOB_SECONDS, 'kind', 'outcome'),
  jobsRunning: gauge('multicloud_jobs_running', 'Jobs running on this replica'),
  jobsQueued: gauge('multicloud_jobs_queued', "Requests waiting for a region's running job on this replica to end"),
  remoteCalls: counter('multicloud_remote_calls_total', 'Remote calls (each attempt), by system and HTTP status ("error": no answer)', 'system', 'status'),
  remoteDuration: histogram('multicloud_remote_call_duration_seconds', 'Time on the wire of a remote call attempt, by system', [...SECONDS, 30], 'system'),
  aaiWrites: counter('multicloud_aai_writes_total', 'A&AI writes A&AI accepted, by action (put, delete, post) and mode (single, bulk)', 'action', 'mode'),
  audits: counter('multicloud_audits_total', 'Capacity audits ended on this replica, by outcome (success, failure)', 'outcome'),
  auditLag: gauge('multicloud_audit_lag_seconds', "How late a region's latest audit started after it was due", 'vimid'),
  auditOverdue: gauge('multicloud_audit_overdue_regions', "Audited regions overdue (by more than a tenth of an interval): the schedule's shortfall, every replica's regions"),
  auditScheduleLag: gauge('multicloud_audit_schedule_lag_seconds', 'How late the most overdue audited region is (0 when none is overdue)'),
  auditLastSuccess: gauge('multicloud_audit_last_success_timestamp_seconds', "When a region's latest successful audit ended (Unix time)", 'vimid'),
  storeUp: gauge('multicloud_store_up', 'Whether the store (Redis, or in-process memory) is reachable: 1 or 0'),
};

collectDefaultMetrics({ register });

export const metricsRegistry = register;

/** The names test/contract and the dashboard check against. */
export const SERIES = Object.values(metrics).map((metric) => (metric as unknown as { name: string }).name);
