import { CapacityStorePort } from '../../src/application/ports/capacity-store.port';
import { K8sConnectivityPort } from '../../src/application/ports/k8s-connectivity.port';
import { ZoneCapacity, ZoneFigures } from '../../src/domain/az-capacity';
import { VimId } from '../../src/domain/vim-id';

export class FakeCapacityStore extends CapacityStorePort {
  readonly zones = new Map<string, ZoneCapacity[]>();

  async saveZones(vimId: string, zones: ZoneCapacity[]): Promise<void> {
    this.zones.set(vimId, zones);
  }
  async readZones(vimId: string): Promise<Array<{ zone: string; figures: ZoneFigures }>> {
    return (this.zones.get(vimId) ?? []).map(({ zone, figures }) => ({ zone, figures }));
  }
  async dropRegion(vimId: string): Promise<void> {
    this.zones.delete(vimId);
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
