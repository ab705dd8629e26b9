import { AaiPort, RegionChildKind } from '../../src/application/ports/aai.port';
import { AaiObject, itemsOf } from '../../src/domain/aai-object';
import { AaiCloudRegion } from '../../src/domain/cloud-region';
import { VimId } from '../../src/domain/vim-id';

const KEYS: Record<RegionChildKind, string> = {
  tenant: 'tenant-id',
  flavor: 'flavor-id',
  image: 'image-id',
  'availability-zone': 'availability-zone-name',
  snapshot: 'snapshot-id',
};
const CHILD_WRAPPERS = ['tenants', 'flavors', 'images', 'availability-zones', 'snapshots', 'esr-system-info-list'];

/**
 * A&AI in memory, for use-case unit specs: regions (with their children nested as A&AI
 * shows them at depth=all) and pservers, without resource-versions (the adapter's
 * spec covers those against the A&AI double). A save puts what is wanted over what
 * is there.
 */
export class FakeAai extends AaiPort {
  readonly regions = new Map<string, AaiObject>();
  readonly pservers = new Map<string, AaiObject>();
  /** The regions read for their VIM info, in order. */
  readonly reads: string[] = [];

  seedRegion(vimId: string, region: AaiObject): void {
    this.regions.set(vimId, structuredClone(region));
  }

  async getCloudRegion(vimId: VimId, depth: '0' | 'all'): Promise<AaiObject | undefined> {
    const region = this.regions.get(vimId.toString());
    if (!region || depth === 'all') return region && structuredClone(region);
    return Object.fromEntries(Object.entries(region).filter(([key]) => !CHILD_WRAPPERS.includes(key)));
  }

  async readCloudRegion(vimId: VimId): Promise<AaiCloudRegion | undefined> {
    this.reads.push(vimId.toString());
    const region = await this.getCloudRegion(vimId, '0');
    if (!region) return undefined;
    return { region, esrList: itemsOf(this.regions.get(vimId.toString())!['esr-system-info-list'], 'esr-system-info') };
  }

  async saveCloudRegion(vimId: VimId, wanted: AaiObject): Promise<void> {
    this.regions.set(vimId.toString(), { ...this.regions.get(vimId.toString()), ...structuredClone(wanted) });
  }

  async deleteCloudRegion(vimId: VimId): Promise<void> {
    this.regions.delete(vimId.toString());
  }

  async listRegionChildren(vimId: VimId, kind: RegionChildKind): Promise<AaiObject[]> {
    return structuredClone(this.children(vimId, kind));
  }

  async getRegionChild(vimId: VimId, kind: RegionChildKind, id: string): Promise<AaiObject | undefined> {
    return this.children(vimId, kind).find((child) => String(child[KEYS[kind]]) === id);
  }

  async saveRegionChild(vimId: VimId, kind: RegionChildKind, id: string, wanted: AaiObject): Promise<void> {
    const others = this.children(vimId, kind).filter((child) => String(child[KEYS[kind]]) !== id);
    const held = await this.getRegionChild(vimId, kind, id);
    this.setChildren(vimId, kind, [...others, { ...held, ...structuredClone(wanted) }]);
  }

  async deleteRegionChild(vimId: VimId, kind: RegionChildKind, id: string): Promise<void> {
    this.setChildren(vimId, kind, this.children(vimId, kind).filter((child) => String(child[KEYS[kind]]) !== id));
  }

  async deleteFlavorHpaCapability(vimId: VimId, flavorId: string, held: AaiObject): Promise<void> {
    const flavor = (await this.getRegionChild(vimId, 'flavor', flavorId))!;
    const kept = itemsOf(flavor['hpa-capabilities'], 'hpa-capability').filter(
      (c) => c['hpa-capability-id'] !== held['hpa-capability-id'],
    );
    flavor['hpa-capabilities'] = { 'hpa-capability': kept };
  }

  async deleteVserver(vimId: VimId, tenantId: string, held: AaiObject): Promise<void> {
    const tenant = (await this.getRegionChild(vimId, 'tenant', tenantId))!;
    const kept = itemsOf(tenant['vservers'], 'vserver').filter((v) => v['vserver-id'] !== held['vserver-id']);
    tenant['vservers'] = { vserver: kept };
  }

  async deleteLInterface(vimId: VimId, tenantId: string, vserverId: string, held: AaiObject): Promise<void> {
    const tenant = (await this.getRegionChild(vimId, 'tenant', tenantId))!;
    const vserver = itemsOf(tenant['vservers'], 'vserver').find((v) => v['vserver-id'] === vserverId)!;
    const kept = itemsOf(vserver['l-interfaces'], 'l-interface').filter((i) => i['interface-name'] !== held['interface-name']);
    vserver['l-interfaces'] = { 'l-interface': kept };
  }

  async deleteAvailabilityZoneRelationship(vimId: VimId, zone: string, relationship: AaiObject): Promise<void> {
    const held = (await this.getRegionChild(vimId, 'availability-zone', zone))!;
    const kept = itemsOf(held['relationship-list'], 'relationship').filter(
      (r) => r['related-link'] !== relationship['related-link'],
    );
    held['relationship-list'] = { relationship: kept };
  }

  async getPserver(hostname: string): Promise<AaiObject | undefined> {
    return this.pservers.get(hostname);
  }

  async savePserver(hostname: string, wanted: AaiObject): Promise<void> {
    this.pservers.set(hostname, { ...this.pservers.get(hostname), ...structuredClone(wanted) });
  }

  async deletePserver(hostname: string): Promise<void> {
    this.pservers.delete(hostname);
  }

  private children(vimId: VimId, kind: RegionChildKind): AaiObject[] {
    return itemsOf(this.regions.get(vimId.toString())?.[`${kind}s`], kind);
  }

  private setChildren(vimId: VimId, kind: RegionChildKind, children: AaiObject[]): void {
    const region = this.regions.get(vimId.toString());
    if (!region) throw new Error(`no region ${vimId} in the fake A&AI`);
    region[`${kind}s`] = { [kind]: children };
  }
}
