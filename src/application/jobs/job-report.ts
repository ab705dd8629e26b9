import { JobCode, JobKind, JobOutcome } from '../../domain/job-status';
import { Redactor } from './redactor';
import { codeOf, describeError } from './job-messages';
import { StepFailure } from './task-budget';

const NAMES: Record<JobKind, { title: string; noun: string }> = {
  register: { title: 'Registration', noun: 'registration' },
  unregister: { title: 'De-registration', noun: 'de-registration' },
};

/**
 * What a (de-)registration job has to say: its warnings and failed steps, and the
 * outcome they add up to. Every job status message is written here, with the secrets
 * the job was told about masked.
 */
export class JobReport {
  readonly warnings: string[] = [];
  readonly failures: StepFailure[] = [];
  /** The service's one redaction, with the secrets this job was told about. */
  private readonly redactor = new Redactor();
  private regionMissing = false;

  constructor(
    private readonly kind: JobKind,
    private readonly vimId: string,
  ) {}

  /** Secrets the messages must never show (remote answers are quoted in them). */
  conceal(...secrets: Array<string | undefined>): void {
    this.redactor.add(...secrets);
  }

  warn(...warnings: string[]): void {
    this.warnings.push(...warnings);
  }

  fail(...failures: StepFailure[]): void {
    this.failures.push(...failures);
  }

  /** A text with the concealed secrets masked (for answers outside the job's status). */
  redacted(text: string): string {
    return this.redactor.text(text);
  }

  /** The job's region is not in A&AI (code 10). */
  regionNotFound(): void {
    this.regionMissing = true;
  }

  /**
   * The job's outcome: not found, failed (the first failure gives the code) or finished.
   * The message is SPEC 3's text alone (clients compare it); warnings go in the status
   * body's `warnings` field, which the job's details carry.
   */
  outcome(details?: Record<string, unknown>): JobOutcome {
    if (this.regionMissing) {
      return { code: JobCode.REGION_NOT_FOUND, message: `Cloud Region not found in AAI: ${this.vimId}` };
    }
    const { title } = NAMES[this.kind];
    const [first] = this.failures;
    const outcome: JobOutcome = first
      ? {
          code: codeOf(first.error),
          message: `${title} failed for Cloud Region: ${this.vimId}: ${this.failures.map((f) => this.describe(f)).join('; ')}`,
        }
      : { code: JobCode.SUCCESS, message: `${title} finished for Cloud Region: ${this.vimId}` };
    return {
      ...outcome,
      message: this.redactor.text(outcome.message),
      details: details && this.redactor.value(details),
    };
  }

  private describe({ step, error, failed, of }: StepFailure): string {
    const count = failed ? (this.kind === 'register' ? ` (${failed} failed)` : ` (${failed} of ${of} not deleted)`) : '';
    return `${step ? `${step}${count}: ` : ''}${describeError(error)}`;
  }
}

/** The outcome of a job stopped from outside its body (deadline, de-registration, shutdown) or that broke. */
export function stoppedOutcome(kind: JobKind, vimId: string, reason: string): JobOutcome {
  return { code: JobCode.FAILURE, message: `${kind} job of ${vimId} failed: ${reason}` };
}
