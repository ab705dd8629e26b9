import { AaiWrite, AaiWriteResult, AaiWriter } from '../../application/ports/aai.port';
import { RemoteCallError } from '../../application/ports/remote-call.error';
import { AaiObject, mergeForUpdate, resourceVersionOf } from '../../domain/aai-object';

/** A write is tried this many times when A&AI answers 412 (the version went stale). */
export const WRITE_ATTEMPTS = 3;

/** What the writer needs of the A&AI client: the wire, by path from `/cloud-infrastructure/…`. */
export interface AaiWire {
  get(path: string): Promise<AaiObject | undefined>;
  put(path: string, body: AaiObject): Promise<void>;
  delete(path: string, resourceVersion: string): Promise<void>;
  /** DELETE `…/relationship-list/relationship` with the relationship as the body (A&AI's edge delete; a missing edge is gone). */
  deleteEdge(path: string, relationship: AaiObject): Promise<void>;
  /** POST `bulk/single-transaction`; any status comes back, with the body as text. */
  bulk(operations: BulkOperation[]): Promise<{ status: number; text: string }>;
  log(message: string): void;
}

export interface BulkOperation {
  action: 'put' | 'delete';
  uri: string;
  body: AaiObject;
}

/**
 * SPEC 7's writes for one job. Single mode: each write is GET-less when what is held
 * is known, PUT merged over it, and a 412 reads the object again (bounded). Bulk
 * mode: a batch is one transaction; when A&AI names the operation that failed, the
 * others go again in a new transaction and the failed one alone (a 412 as in single
 * mode); an A&AI without the bulk API gets single writes for the rest of the job.
 */
export class JobAaiWriter implements AaiWriter {
  private bulkAvailable: boolean;

  constructor(
    private readonly wire: AaiWire,
    private readonly bulkOperations: number,
  ) {
    this.bulkAvailable = bulkOperations > 0;
  }

  get batchSize(): number {
    return this.bulkAvailable ? this.bulkOperations : 1;
  }

  async write(batch: AaiWrite[]): Promise<AaiWriteResult[]> {
    if (batch.length === 0) return [];
    if (!this.bulkAvailable) return this.writeEach(batch);
    return this.transaction(batch);
  }

  private async writeEach(batch: AaiWrite[]): Promise<AaiWriteResult[]> {
    const results: AaiWriteResult[] = [];
    for (const write of batch) results.push(await this.single(write));
    return results;
  }

  /** One transaction; on a named failure, the rest again and the failed one alone. */
  private async transaction(batch: AaiWrite[]): Promise<AaiWriteResult[]> {
    const operations: BulkOperation[] = [];
    for (const write of batch) operations.push(await this.operationOf(write));
    let answer: { status: number; text: string };
    try {
      answer = await this.wire.bulk(operations);
    } catch (error) {
      return batch.map(() => failed(error));
    }
    if (answer.status === 200 || answer.status === 201) return batch.map(() => ({ ok: true }));
    const index = failedOperation(answer.text);
    if (index === undefined || index >= batch.length) {
      if (answer.status === 404 || answer.status === 405) {
        this.bulkAvailable = false;
        this.wire.log(`A&AI answered ${answer.status} to bulk/single-transaction: single-object writes for the rest of this job`);
      }
      return this.writeEach(batch);
    }
    const others = batch.filter((_, i) => i !== index);
    // A 412, or a delete A&AI refused (400: something related to it since the plan's read), goes again alone, planned again.
    const again = answer.status === 412 || (answer.status === 400 && batch[index].action === 'delete' && batch[index].keep !== undefined);
    const [otherResults, alone] = await Promise.all([this.write(others), again ? this.single(batch[index]) : Promise.resolve(failedAnswer(answer))]);
    return [...otherResults.slice(0, index), alone, ...otherResults.slice(index)];
  }

  private async operationOf(write: AaiWrite): Promise<BulkOperation> {
    if (write.action === 'relate') return { action: 'put', uri: write.uri, body: write.wanted ?? {} };
    if (write.action === 'unrelate') return { action: 'delete', uri: write.uri, body: write.wanted ?? {} };
    if (write.action === 'delete') {
      const version = resourceVersionOf(write.held) ?? resourceVersionOf(await this.wire.get(write.uri)) ?? '';
      return { action: 'delete', uri: `${write.uri}?resource-version=${encodeURIComponent(version)}`, body: {} };
    }
    const held = write.action === 'update' && !resourceVersionOf(write.held) ? await this.wire.get(`${write.uri}?depth=0`) : write.held;
    return { action: 'put', uri: write.uri, body: bodyOf(write, held) };
  }

  private async single(write: AaiWrite): Promise<AaiWriteResult> {
    try {
      if (write.action === 'relate') await this.wire.put(write.uri, write.wanted ?? {});
      else if (write.action === 'unrelate') await this.wire.deleteEdge(write.uri, write.wanted ?? {});
      else if (write.action === 'delete') return await this.deleteOne(write);
      else await this.saveOne(write);
      return { ok: true };
    } catch (error) {
      return failed(error);
    }
  }

  private async saveOne(write: AaiWrite): Promise<void> {
    const reread = () => this.wire.get(`${write.uri}?depth=0`);
    const held = write.action === 'update' && !resourceVersionOf(write.held) ? await reread() : write.held;
    await putWithRetry(this.wire, write.uri, (current) => bodyOf(write, current), held, reread);
  }

  /**
   * A delete whose version went stale (412) is planned again on what A&AI holds now: an
   * object someone related since the plan's read stays, reported kept with the reason.
   */
  private async deleteOne(write: AaiWrite): Promise<AaiWriteResult> {
    let kept: string | undefined;
    const reread = async () => {
      const current = await this.wire.get(write.uri);
      kept = current && write.keep ? write.keep(current) : undefined;
      return kept ? undefined : current;
    };
    try {
      await deleteWithRetry(this.wire, write.uri, write.held, reread);
    } catch (error) {
      // A&AI refused the delete (400: an edge that prevents it, made since the plan's read): kept if the keep rule says so now.
      if (!write.keep || !RemoteCallError.is(error, 400)) throw error;
      await reread();
      if (!kept) throw error;
    }
    return kept ? { ok: true, kept } : { ok: true };
  }
}

/**
 * PUT the body made from what A&AI holds (`held`, with its resource-version); when A&AI
 * says the version went stale (412), read the object again and retry, bounded.
 */
export async function putWithRetry(
  wire: Pick<AaiWire, 'put'>,
  path: string,
  bodyFor: (held: AaiObject | undefined) => AaiObject,
  held: AaiObject | undefined,
  reread: () => Promise<AaiObject | undefined>,
): Promise<void> {
  let current = held;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await wire.put(path, bodyFor(current));
      return;
    } catch (error) {
      if (!RemoteCallError.is(error, 412) || attempt >= WRITE_ATTEMPTS) throw error;
      current = await reread();
    }
  }
}

/**
 * DELETE with the version `held` carries (without one, the version `reread` finds); on
 * 412, again with the version A&AI holds now, bounded. Without `reread` a 412 is
 * reported. A missing object counts as deleted.
 */
export async function deleteWithRetry(wire: Pick<AaiWire, 'delete'>, path: string, held: AaiObject | undefined, reread?: () => Promise<AaiObject | undefined>): Promise<void> {
  let version = resourceVersionOf(held);
  for (let attempt = 1; ; attempt += 1) {
    if (version === undefined) {
      const current = reread ? await reread() : undefined;
      if (!current) return;
      version = resourceVersionOf(current) ?? '';
    }
    try {
      await wire.delete(path, version);
      return;
    } catch (error) {
      if (!reread || !RemoteCallError.is(error, 412) || attempt >= WRITE_ATTEMPTS) throw error;
      version = undefined;
    }
  }
}

/**
 * The PUT body: a create with its defaults, or wanted over held without any
 * relationship-list (A&AI keeps the edges of a PUT without one; children held are not
 * rewritten), so an edge someone added, even after our read, stays. A create that met
 * an object (412, read again) adds its relationships to the ones held.
 */
function bodyOf(write: AaiWrite, held: AaiObject | undefined): AaiObject {
  const wanted = write.wanted ?? {};
  if (!held) return { ...(write.createDefaults ?? {}), ...mergeForUpdate(undefined, wanted) };
  if (write.action === 'create') return mergeForUpdate(withoutChildren(held, wanted), wanted);
  const properties = { ...wanted };
  delete properties['relationship-list'];
  const body = mergeForUpdate(withoutChildren(held, properties), properties);
  delete body['relationship-list'];
  return body;
}

/** Child collections A&AI showed (depth=all) but the write does not want: left out of the PUT, untouched. */
function withoutChildren(held: AaiObject, wanted: AaiObject): AaiObject {
  const copy: AaiObject = {};
  for (const [key, value] of Object.entries(held)) {
    if (key in wanted || key === 'resource-version' || key === 'relationship-list' || !isChildCollection(value)) copy[key] = value;
  }
  return copy;
}

function isChildCollection(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).some(Array.isArray);
}

/** A&AI names the failed operation: `Operation 3 with action …` (run-time) or `Error with operation 3` (schema). */
function failedOperation(text: string): number | undefined {
  const match = /operation (\d+)/i.exec(text);
  return match ? Number(match[1]) : undefined;
}

function failedAnswer(answer: { status: number; text: string }): AaiWriteResult {
  return { ok: false, status: answer.status, message: `A&AI bulk/single-transaction answered ${answer.status}: ${errorText(answer.text)}` };
}

function failed(error: unknown): AaiWriteResult {
  return {
    ok: false,
    status: error instanceof RemoteCallError ? error.status : undefined,
    message: error instanceof Error ? error.message : String(error),
  };
}

/** A&AI's error text with its %n variables filled in, else the body cut short. */
function errorText(text: string): string {
  try {
    const exception = JSON.parse(text)?.requestError?.serviceException;
    if (exception?.text) {
      const variables: string[] = exception.variables ?? [];
      return String(exception.text).replace(/%(\d+)/g, (_: string, n: string) => variables[Number(n) - 1] ?? '');
    }
  } catch {
    // not JSON: the text itself
  }
  return text.slice(0, 500);
}
