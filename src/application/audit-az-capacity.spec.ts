import { FakeAai } from '../../test/fakes/fake-aai';
import { FakeAuditRegistry } from '../../test/fakes/fake-audit-registry';
import { FakeLog } from '../../test/fakes/fake-log';
import { FakeCapacityStore } from '../../test/fakes/fake-stores';
import { testSettings } from '../../test/fakes/settings';
import { AuditAzCapacity } from './audit-az-capacity';
import { CloudRegionReader } from './registration/cloud-region-reader';
import { OpenStackPort } from './ports/openstack.port';
import { Settings } from './ports/settings.port';

describe('AuditAzCapacity.runDue', () => {
  function audit(settings: Settings) {
    const registry = new FakeAuditRegistry();
    const aai = new FakeAai();
    const log = new FakeLog();
    const marked: string[] = [];
    const capacity = new FakeCapacityStore();
    const markFailed = capacity.markFailed.bind(capacity);
    capacity.markFailed = async (id: string, at: number) => {
      marked.push(id);
      await markFailed(id, at);
    };
    const shortfalls: Array<[number, number]> = [];
    const telemetry = { auditEnded: () => undefined, auditForgotten: () => undefined, auditShortfall: (n: number, lag: number) => void shortfalls.push([n, lag]) };
    const auditor = new AuditAzCapacity(registry, capacity, new CloudRegionReader(aai, settings), {} as OpenStackPort, settings, log, telemetry);
    return { registry, aai, auditor, log, marked, capacity, shortfalls };
  }

  it("moves a v1 region's next audit 5 s on and a v0 region's 10 s", async () => {
    const { registry, auditor } = audit(testSettings());
    await registry.add({ vimId: 'Owner_V1', apiVersion: 'v1' }, 0);
    await registry.add({ vimId: 'Owner_V0', apiVersion: 'v0' }, 0);
    expect(await auditor.runDue()).toBe(2);
    // Both due at the same time: taken in id order.
    expect(registry.taken).toEqual([
      { vimId: 'Owner_V0', ms: 10_000 },
      { vimId: 'Owner_V1', ms: 5_000 },
    ]);
  });

  it('uses AZCAP_AUDIT_INTERVAL_MS for every region when set', async () => {
    const { registry, auditor } = audit(testSettings({ audit: { v0IntervalMs: 10_000, v1IntervalMs: 5_000, overrideIntervalMs: 750, concurrency: 4 } }));
    await registry.add({ vimId: 'Owner_V1', apiVersion: 'v1' }, 0);
    await registry.add({ vimId: 'Owner_V0', apiVersion: 'v0' }, 0);
    await auditor.runDue();
    expect(registry.taken.map((r) => r.ms)).toEqual([750, 750]);
  });

  it('audits a region once per interval, taking nothing off the schedule before it is due', async () => {
    const { registry, auditor, aai } = audit(testSettings());
    const now = Date.now();
    await registry.add({ vimId: 'Owner_R', apiVersion: 'v1' }, now);
    expect(await auditor.runDue(now)).toBe(1);
    expect(await auditor.runDue(now + 1_000)).toBe(0);
    expect(await auditor.runDue(now + 4_999)).toBe(0);
    expect(registry.taken).toHaveLength(1);
    expect(aai.reads).toEqual(['Owner_R']);
  });

  it('reports a failed audit, marks its figures stale, and carries on', async () => {
    const { registry, auditor, log, marked } = audit(testSettings());
    await registry.add({ vimId: 'Owner_Gone', apiVersion: 'v1' }, 0);
    await auditor.runDue();
    expect(auditor.stats).toMatchObject({ completed: 0, failed: 1 });
    expect(log.lines).toContain('warn capacity audit of Owner_Gone failed: Cloud Region not found in AAI: Owner_Gone');
    expect(marked).toEqual(['Owner_Gone']);
  });

  it('drops a region A&AI no longer has after 3 not-found answers in a row, and logs it', async () => {
    const fast = testSettings({ audit: { v0IntervalMs: 10_000, v1IntervalMs: 5_000, overrideIntervalMs: 20, concurrency: 4 } });
    const { registry, auditor, aai, log, capacity } = audit(fast);
    const nextAudit = async () => {
      await new Promise((resolve) => setTimeout(resolve, 25));
      return auditor.runDue();
    };
    await registry.add({ vimId: 'Owner_Gone', apiVersion: 'v1' }, 0);
    await capacity.saveAudit('Owner_Gone', [], { source: 'hypervisors', asOf: Date.now(), intervalMs: 20, zones: [] });
    await nextAudit();
    await nextAudit();
    // Found once in between: the count starts again.
    aai.seedRegion('Owner_Gone', {
      'cloud-owner': 'Owner',
      'cloud-region-id': 'Gone',
      'cloud-extra-info': JSON.stringify({ capacity_auditor_enabled: false }),
      'esr-system-info-list': { 'esr-system-info': [{ 'service-url': 'http://keystone:5000/v3', 'user-name': 'admin' }] },
    });
    await nextAudit();
    aai.regions.delete('Owner_Gone');
    await nextAudit();
    await nextAudit();
    expect(await registry.has('Owner_Gone')).toBe(true);
    await nextAudit();
    expect(await registry.has('Owner_Gone')).toBe(false);
    expect(capacity.zones.has('Owner_Gone')).toBe(false);
    expect(log.lines).toContain('warn Owner_Gone dropped from the capacity audit: A&AI answered 3 audits in a row that it has no such region');
    expect(aai.reads).toHaveLength(6);
    expect(await nextAudit()).toBe(0);
  });

  it('serves the most overdue regions first when slots are short, and exports and logs the shortfall', async () => {
    const { registry, auditor, aai, log, shortfalls } = audit(testSettings({ audit: { v0IntervalMs: 10_000, v1IntervalMs: 5_000, concurrency: 2 } }));
    const now = Date.now();
    // Registered in this order, but due in another: the order of the list does not matter.
    for (const [name, lateMs] of [
      ['A', 1_000],
      ['B', 9_000],
      ['C', 3_000],
      ['D', 7_000],
      ['E', 100],
    ] as const) {
      await registry.add({ vimId: `Owner_${name}`, apiVersion: 'v1' }, now - lateMs);
    }
    expect(await auditor.runDue(now)).toBe(2);
    expect(aai.reads).toEqual(['Owner_B', 'Owner_D']);
    // Overdue by more than a tenth of the interval: C and A (E is 100 ms late); B and D were taken.
    expect(shortfalls).toEqual([[2, 3_000]]);
    expect(log.lines).toContain('warn capacity audits behind schedule: 2 regions overdue, the most by 3.0 s (AZCAP_AUDIT_CONCURRENCY 2 on this replica)');
    expect(await auditor.runDue(now + 1)).toBe(2);
    expect(aai.reads.slice(2)).toEqual(['Owner_C', 'Owner_A']);
  });
});
