import { CapacityStorePort } from '../../src/application/ports/capacity-store.port';
import { K8sConnectivityPort } from '../../src/application/ports/k8s-connectivity.port';
import { ZoneCapacity } from '../../src/domain/az-capacity';
import { AuditRecord } from '../../src/domain/capacity-freshness';
import { VimId } from '../../src/domain/vim-id';

export class FakeCapacityStore extends CapacityStorePort {
  /** What the plain cap_* keys would hold, per region. */
  readonly zones = new Map<string, ZoneCapacity[]>();
  readonly records = new Map<string, AuditRecord>();

  async saveAudit(vimId: string, zones: ZoneCapacity[], record: AuditRecord): Promise<boolean> {
    this.zones.set(vimId, zones);
    this.records.set(vimId, record);
    return true;
  }
  async readAudit(vimId: string): Promise<AuditRecord | undefined> {
    return this.records.get(vimId);
  }
  async markFailed(vimId: string, at: number): Promise<void> {
    const record = this.records.get(vimId);
    if (record && record.failedAt === undefined) this.records.set(vimId, { ...record, failedAt: at });
  }
  async dropRegion(vimId: string): Promise<void> {
    this.zones.delete(vimId);
    this.records.delete(vimId);
  }
}

/** The k8s plugin's connectivity records in memory; `failure` makes every call fail. */
export class FakeK8sConnectivity extends K8sConnectivityPort {
  readonly records = new Map<string, Record<string, unknown>>();
  failure?: Error;

  async register(vimId: VimId, kubeconfig: Record<string, unknown>): Promise<void> {
    if (this.failure) throw this.failure;
    this.records.set(vimId.toString(), kubeconfig);
  }
  async remove(vimId: VimId): Promise<void> {
    if (this.failure) throw this.failure;
    this.records.delete(vimId.toString());
  }
}
