import { AuditRegistryPort, AuditedRegion } from '../../src/application/ports/audit-registry.port';

/** The audited regions and their leases in memory; remembers every lease asked for. */
export class FakeAuditRegistry extends AuditRegistryPort {
  readonly regions = new Map<string, AuditedRegion>();
  readonly leaseRequests: Array<{ vimId: string; ms: number }> = [];
  private readonly leases = new Map<string, number>();
  private readonly notFound = new Map<string, number>();

  async add(region: AuditedRegion): Promise<void> {
    this.regions.set(region.vimId, region);
    this.notFound.delete(region.vimId);
  }

  async remove(vimId: string): Promise<void> {
    this.regions.delete(vimId);
    this.notFound.delete(vimId);
  }

  async list(): Promise<AuditedRegion[]> {
    return [...this.regions.values()];
  }

  async has(vimId: string): Promise<boolean> {
    return this.regions.has(vimId);
  }

  async countNotFound(vimId: string): Promise<number> {
    this.notFound.set(vimId, (this.notFound.get(vimId) ?? 0) + 1);
    return this.notFound.get(vimId)!;
  }

  async clearNotFound(vimId: string): Promise<void> {
    this.notFound.delete(vimId);
  }

  async tryLease(vimId: string, ms: number): Promise<{ won: boolean; retryInMs: number }> {
    this.leaseRequests.push({ vimId, ms });
    const until = this.leases.get(vimId) ?? 0;
    if (until > Date.now()) return { won: false, retryInMs: until - Date.now() };
    this.leases.set(vimId, Date.now() + ms);
    return { won: true, retryInMs: ms };
  }
}
