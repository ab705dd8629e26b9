import { JobRecord } from './job-status';

/**
 * SO's workload API (SPEC 13): every answer is exactly these four keys, since SO's
 * `MulticloudQueryResponse` refuses any other.
 */
export interface WorkloadBody {
  template_type: 'HEAT';
  workload_id: string;
  workload_status: string;
  workload_status_reason: Record<string, unknown> | string;
}

export function workloadBody(id: string, status: string, reason: Record<string, unknown> | string): WorkloadBody {
  return { template_type: 'HEAT', workload_id: id, workload_status: status, workload_status_reason: reason };
}

/** A failed workload request: the HTTP status and the workload status SO reads. */
export class WorkloadFailure extends Error {
  constructor(
    readonly httpStatus: number,
    readonly workloadStatus: string,
    message: string,
    readonly workloadId = '',
  ) {
    super(message);
    this.name = 'WorkloadFailure';
  }
}

/** `template_type` empty or `heat` in any case; anything else is refused. */
export function isHeatTemplateType(templateType: unknown): boolean {
  return templateType === undefined || templateType === null || (typeof templateType === 'string' && ['', 'heat'].includes(templateType.trim().toLowerCase()));
}

/**
 * The stack's parameters overridden by the directives, sdnc first, then oof, then user
 * (the last word is the user's). A directive block is `{"attributes": [{attribute_name,
 * attribute_value}]}`, or OOF's `{"directives": [{"directives": [{"attributes": […]}]}]}`;
 * nested blocks are read at any depth. Only parameters the stack can take are set: those
 * given, and those the template declares (Heat refuses any other; SO's directives also
 * carry names meant for other orchestrators).
 */
export function mergeDirectives(parameters: Record<string, unknown>, template: unknown, ...blocks: unknown[]): Record<string, unknown> {
  const merged = { ...parameters };
  const declared = template && typeof template === 'object' ? (template as Record<string, unknown>).parameters : undefined;
  const takes = (name: string) => name in parameters || (!!declared && typeof declared === 'object' && name in declared);
  for (const block of blocks) {
    for (const [name, value] of attributesOf(block, 0)) if (takes(name)) merged[name] = value;
  }
  return merged;
}

/** Directive blocks nest a few levels (OOF: vnfc → flavor_directives); deeper is junk, not read. */
const MAX_DIRECTIVE_DEPTH = 6;

function attributesOf(block: unknown, depth: number): Array<[string, unknown]> {
  if (!block || typeof block !== 'object' || depth > MAX_DIRECTIVE_DEPTH) return [];
  if (Array.isArray(block)) return block.flatMap((item) => attributesOf(item, depth + 1));
  const record = block as Record<string, unknown>;
  const found: Array<[string, unknown]> = [];
  if (Array.isArray(record.attributes)) {
    for (const attribute of record.attributes) {
      const name = (attribute as Record<string, unknown> | null)?.attribute_name;
      if (typeof name === 'string' && name !== '') found.push([name, (attribute as Record<string, unknown>).attribute_value]);
    }
  }
  if (record.directives !== undefined) found.push(...attributesOf(record.directives, depth + 1));
  return found;
}

/** A workload job's record as SO reads it: heatbridge `UPDATE_*`, cleanup `DELETE_*`. */
export function jobWorkloadStatus(record: JobRecord): string {
  const prefix = record.kind === 'register' ? 'UPDATE' : 'DELETE';
  const state = record.state === 'in-progress' ? 'IN_PROGRESS' : record.state === 'succeeded' ? 'COMPLETE' : 'FAILED';
  return `${prefix}_${state}`;
}

/**
 * A workload job's reason as SO reads it: the job's message, in the workload's words when
 * the job runner wrote it (a job stopped, timed out or interrupted too often).
 */
export function jobWorkloadReason(record: JobRecord, workloadId: string): string {
  const what = record.kind === 'register' ? 'heatbridge' : 'delete';
  if (record.state === 'in-progress') return `${what} of stack ${workloadId} in progress`;
  return record.message.replace(/^(register|unregister) job of \S+ failed: /, `${what} of stack ${workloadId} failed: `);
}

/** The key of a workload's jobs: one per workload id in a region. */
export function workloadKey(vimId: string, workloadId: string): string {
  return `${vimId}/${workloadId}`;
}
