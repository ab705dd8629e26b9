import { CapacityStorePort } from '../../src/application/ports/capacity-store.port';
import { K8sConnection, K8sConnectivityPort } from '../../src/application/ports/k8s-connectivity.port';
import { ZoneCapacity } from '../../src/domain/az-capacity';
import { AuditMark, AuditRecord } from '../../src/domain/capacity-freshness';
import { VimId } from '../../src/domain/vim-id';

export class FakeCapacityStore extends CapacityStorePort {
  /** What the plain cap_* keys would hold, per region. */
  readonly zones = new Map<string, ZoneCapacity[]>();
  readonly records = new Map<string, AuditRecord>();
  readonly marks = new Map<string, AuditMark>();

  async saveAudit(vimId: string, zones: ZoneCapacity[], record: AuditRecord, inputs?: string): Promise<boolean> {
    this.zones.set(vimId, zones);
    this.records.set(vimId, record);
    this.marks.set(vimId, { asOf: record.asOf, ...(inputs ? { inputs } : {}), savedAt: record.asOf });
    return true;
  }
  async readAudit(vimId: string): Promise<AuditRecord | undefined> {
    const record = this.records.get(vimId);
    const mark = this.marks.get(vimId);
    return record && mark ? { ...record, asOf: mark.asOf, failedAt: mark.failedAt } : record;
  }
  async readAuditMark(vimId: string): Promise<AuditMark | undefined> {
    return this.marks.get(vimId);
  }
  async touchAudit(vimId: string, seen: AuditMark, asOf: number): Promise<boolean> {
    if (this.marks.get(vimId) !== seen) return false;
    this.marks.set(vimId, { asOf, inputs: seen.inputs, savedAt: seen.savedAt });
    return true;
  }
  async markFailed(vimId: string, at: number): Promise<void> {
    const record = await this.readAudit(vimId);
    if (!record || record.failedAt !== undefined) return;
    this.marks.set(vimId, { asOf: record.asOf, failedAt: at, savedAt: this.marks.get(vimId)?.savedAt ?? record.asOf });
  }
  async dropRegion(vimId: string): Promise<void> {
    this.zones.delete(vimId);
    this.records.delete(vimId);
    this.marks.delete(vimId);
  }
}

/** The k8s plugin's connectivity records in memory; `failure` makes every call fail. */
/** multicloud-k8s in memory: records keyed by cloud-region alone, a second POST refused. */
export class FakeK8sConnectivity extends K8sConnectivityPort {
  readonly records = new Map<string, K8sConnection>();
  failure?: Error;
  writes = 0;

  async read(vimId: VimId): Promise<K8sConnection | undefined> {
    if (this.failure) throw this.failure;
    return this.records.get(vimId.cloudRegionId);
  }
  async register(vimId: VimId, kubeconfig: Record<string, unknown>): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.records.has(vimId.cloudRegionId)) throw new Error('multicloud-k8s answered 500: Connection already exists');
    this.writes += 1;
    this.records.set(vimId.cloudRegionId, { cloudOwner: vimId.cloudOwner, cloudRegion: vimId.cloudRegionId, kubeconfig });
  }
  async remove(vimId: VimId): Promise<void> {
    if (this.failure) throw this.failure;
    this.writes += 1;
    this.records.delete(vimId.cloudRegionId);
  }
}
