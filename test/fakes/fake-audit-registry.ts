import { AuditRegistryPort, AuditedRegion, DueAudit } from '../../src/application/ports/audit-registry.port';
import { earliestDue, nextDueAt, pickDue } from '../../src/domain/audit-schedule';

/** The audited regions and their schedule in memory; remembers every region taken and its next interval. */
export class FakeAuditRegistry extends AuditRegistryPort {
  readonly regions = new Map<string, AuditedRegion>();
  /** Each region taken off the schedule, with how far its next due time was moved. */
  readonly taken: Array<{ vimId: string; ms: number }> = [];
  readonly dueAt = new Map<string, number>();
  private readonly notFound = new Map<string, number>();

  async add(region: AuditedRegion, dueAt: number): Promise<void> {
    this.regions.set(region.vimId, region);
    this.dueAt.set(region.vimId, dueAt);
    this.notFound.delete(region.vimId);
  }

  async remove(vimId: string): Promise<void> {
    this.regions.delete(vimId);
    this.dueAt.delete(vimId);
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

  async takeDue(now: number, limit: number, intervalOf: (region: AuditedRegion) => number): Promise<DueAudit[]> {
    return pickDue(this.schedule(), now, limit).map(({ vimId, dueAt }) => {
      const region = this.regions.get(vimId)!;
      const ms = intervalOf(region);
      this.taken.push({ vimId, ms });
      this.dueAt.set(vimId, nextDueAt(dueAt, now, ms));
      return { region, dueAt };
    });
  }

  async nextDueAt(): Promise<number | undefined> {
    return earliestDue(this.schedule());
  }

  async overdue(before: number): Promise<{ count: number; earliestDueAt?: number }> {
    const due = this.schedule();
    return { count: due.filter((region) => region.dueAt <= before).length, earliestDueAt: earliestDue(due) };
  }

  private schedule(): Array<{ vimId: string; dueAt: number }> {
    return [...this.dueAt].map(([vimId, dueAt]) => ({ vimId, dueAt }));
  }
}
