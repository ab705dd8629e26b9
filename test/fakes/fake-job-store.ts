import { JobRequest, JobStorePort } from '../../src/application/ports/job-store.port';
import { JobRecord } from '../../src/domain/job-status';

/** JobStorePort in Maps, with claim expiry and compare-and-set saves; records every saved state for asserts. */
export class FakeJobStore extends JobStorePort {
  readonly history: Array<{ vimId: string; record: JobRecord }> = [];
  private readonly records = new Map<string, JobRecord>();
  private readonly claims = new Map<string, { runId: string; until: number }>();
  private readonly pending = new Map<string, JobRequest>();
  private readonly open = new Set<string>();
  private readonly failing: Array<'save' | 'markOpen'> = [];

  /** The next call of `method` fails as an unreachable store would. */
  failNext(method: 'save' | 'markOpen'): void {
    this.failing.push(method);
  }

  async save(vimId: string, record: JobRecord): Promise<boolean> {
    this.failIfAsked('save');
    if (!this.holds(vimId, record.runId)) return false;
    this.seed(vimId, record);
    return true;
  }

  /** Writes a record as another replica would have (no claim check). */
  seed(vimId: string, record: JobRecord): void {
    this.records.set(vimId, record);
    this.history.push({ vimId, record });
  }

  async latest(vimId: string): Promise<JobRecord | undefined> {
    return this.records.get(vimId);
  }

  async claim(vimId: string, runId: string, ttlMs: number): Promise<boolean> {
    if (await this.isClaimed(vimId)) return false;
    this.claims.set(vimId, { runId, until: Date.now() + ttlMs });
    return true;
  }

  async renewClaim(vimId: string, runId: string, ttlMs: number): Promise<boolean> {
    if (!this.holds(vimId, runId)) return false;
    this.claims.get(vimId)!.until = Date.now() + ttlMs;
    return true;
  }

  async releaseClaim(vimId: string, runId: string): Promise<void> {
    if (this.claims.get(vimId)?.runId === runId) this.claims.delete(vimId);
  }

  async isClaimed(vimId: string): Promise<boolean> {
    const claim = this.claims.get(vimId);
    return claim !== undefined && claim.until >= Date.now();
  }

  /** What a replica that died would leave behind. */
  forgetClaim(vimId: string): void {
    this.claims.delete(vimId);
  }

  async setPending(vimId: string, request: JobRequest): Promise<void> {
    this.pending.set(vimId, request);
    this.open.add(vimId);
  }

  async peekPending(vimId: string): Promise<JobRequest | undefined> {
    return this.pending.get(vimId);
  }

  async takePending(vimId: string): Promise<JobRequest | undefined> {
    const request = this.pending.get(vimId);
    this.pending.delete(vimId);
    return request;
  }

  async dropPending(vimId: string, request: JobRequest): Promise<void> {
    if (JSON.stringify(this.pending.get(vimId)) === JSON.stringify(request)) this.pending.delete(vimId);
  }

  async markOpen(vimId: string): Promise<void> {
    this.failIfAsked('markOpen');
    this.open.add(vimId);
  }

  async openVimIds(): Promise<string[]> {
    return [...this.open];
  }

  async settle(vimId: string): Promise<void> {
    if (!this.pending.has(vimId)) this.open.delete(vimId);
  }

  private failIfAsked(method: 'save' | 'markOpen'): void {
    const at = this.failing.indexOf(method);
    if (at < 0) return;
    this.failing.splice(at, 1);
    throw new Error('the store is unreachable');
  }

  private holds(vimId: string, runId: string): boolean {
    const claim = this.claims.get(vimId);
    return claim?.runId === runId && claim.until >= Date.now();
  }
}
