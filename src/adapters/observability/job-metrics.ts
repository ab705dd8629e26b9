import { JobRecord } from '../../domain/job-status';
import { metrics } from './metrics';

/** A job's final record, as saved: counted by kind and outcome, with its duration. */
export function countEndedJob(record: JobRecord): void {
  const labels = { kind: record.kind, outcome: record.state };
  metrics.jobs.inc(labels);
  const seconds = (Date.parse(record.finishedAt ?? '') - Date.parse(record.startedAt)) / 1000;
  if (Number.isFinite(seconds) && seconds >= 0) metrics.jobDuration.observe(labels, seconds);
}
