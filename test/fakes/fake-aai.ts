import { AaiPort, AaiWrite, AaiWriter, RegionChildKind } from '../../src/application/ports/aai.port';
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

  async getCloudRegion(vimId: VimId, depth: '0' | '1' | 'all'): Promise<AaiObject | undefined> {
    const region = this.regions.get(vimId.toString());
    if (!region || depth !== '0') return region && structuredClone(region);
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
    // Read and written in one turn: concurrent writes of one collection do not lose each other.
    const others = this.children(vimId, kind).filter((child) => String(child[KEYS[kind]]) !== id);
    const held = this.children(vimId, kind).find((child) => String(child[KEYS[kind]]) === id);
    this.setChildren(vimId, kind, [...others, { ...held, ...structuredClone(wanted) }]);
  }

  async deleteRegionChild(vimId: VimId, kind: RegionChildKind, id: string): Promise<void> {
    this.setChildren(
      vimId,
      kind,
      this.children(vimId, kind).filter((child) => String(child[KEYS[kind]]) !== id),
    );
  }

  async deleteFlavorHpaCapability(vimId: VimId, flavorId: string, held: AaiObject): Promise<void> {
    const flavor = (await this.getRegionChild(vimId, 'flavor', flavorId))!;
    const kept = itemsOf(flavor['hpa-capabilities'], 'hpa-capability').filter((c) => c['hpa-capability-id'] !== held['hpa-capability-id']);
    flavor['hpa-capabilities'] = { 'hpa-capability': kept };
  }

  async getVserver(vimId: VimId, tenantId: string, vserverId: string): Promise<AaiObject | undefined> {
    const tenant = await this.getRegionChild(vimId, 'tenant', tenantId);
    return itemsOf(tenant?.['vservers'], 'vserver').find((v) => v['vserver-id'] === vserverId);
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
    const kept = itemsOf(held['relationship-list'], 'relationship').filter((r) => r['related-link'] !== relationship['related-link']);
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

  /** Single writes by path; a pserver's relationships show on its region and zone, as A&AI's edges do. */
  writer(): AaiWriter {
    return {
      batchSize: 1,
      write: (batch) =>
        Promise.all(
          batch.map((write) =>
            this.applyWrite(write).then(
              () => ({ ok: true as const }),
              (error: Error) => ({ ok: false as const, message: error.message }),
            ),
          ),
        ),
    };
  }

  async listCloudRegions(cloudOwner: string): Promise<AaiObject[]> {
    return [...this.regions.values()].filter((region) => region['cloud-owner'] === cloudOwner).map((region) => structuredClone(region));
  }

  private async applyWrite(write: AaiWrite): Promise<void> {
    const segments = write.uri.split('?')[0].split('/').slice(1).map(decodeURIComponent);
    const wanted = structuredClone(write.wanted ?? {});
    if (segments[1] === 'pservers' && segments[4] === 'relationship-list') {
      const hostname = segments[3];
      const pserver = this.pservers.get(hostname);
      if (!pserver) throw new Error(`no pserver ${hostname}`);
      const link = String(wanted['related-link']);
      const others = itemsOf(pserver['relationship-list'], 'relationship').filter((r) => r['related-link'] !== link);
      pserver['relationship-list'] = { relationship: write.action === 'relate' ? [...others, wanted] : others };
      if (write.action === 'relate') this.linkPserver(hostname, link);
      else this.unlinkPserver(hostname, link);
      return;
    }
    if (segments[1] === 'pservers') {
      const hostname = segments[3];
      this.unlinkPserver(hostname);
      if (write.action === 'delete') return this.deletePserver(hostname);
      await this.savePserver(hostname, { ...(write.action === 'create' ? write.createDefaults : {}), ...wanted });
      for (const relationship of itemsOf(wanted['relationship-list'], 'relationship')) this.linkPserver(hostname, String(relationship['related-link']));
      return;
    }
    const vimId = VimId.of(segments[3], segments[4]);
    const [wrapper, , id, sub, , subId] = segments.slice(5);
    if (!wrapper) {
      if (write.action === 'delete') return this.deleteCloudRegion(vimId);
      return this.saveCloudRegion(vimId, wanted);
    }
    const kind = wrapper.slice(0, -1) as RegionChildKind;
    if (sub === 'hpa-capabilities') {
      const flavor = (await this.getRegionChild(vimId, 'flavor', id))!;
      const others = itemsOf(flavor['hpa-capabilities'], 'hpa-capability').filter((c) => c['hpa-capability-id'] !== subId);
      flavor['hpa-capabilities'] = { 'hpa-capability': write.action === 'delete' ? others : [...others, wanted] };
      return;
    }
    if (write.action === 'delete') return this.deleteRegionChild(vimId, kind, id);
    return this.saveRegionChild(vimId, kind, id, wanted);
  }

  private linkPserver(hostname: string, link: string): void {
    const path = link.slice(link.indexOf('/cloud-infrastructure/')).split('/').slice(1).map(decodeURIComponent);
    const region = this.regions.get(`${path[3]}_${path[4]}`);
    const target = path[5] === 'availability-zones' ? itemsOf(region?.['availability-zones'], 'availability-zone').find((z) => z['availability-zone-name'] === path[7]) : region;
    if (!target) return;
    const relationships = itemsOf(target['relationship-list'], 'relationship');
    target['relationship-list'] = { relationship: [...relationships, { 'related-to': 'pserver', 'related-link': `/aai/v13/cloud-infrastructure/pservers/pserver/${hostname}` }] };
  }

  /** The pserver's edges seen from the regions and zones: all, or the one to `only`. */
  private unlinkPserver(hostname: string, only?: string): void {
    const link = `/aai/v13/cloud-infrastructure/pservers/pserver/${hostname}`;
    const onlyPath = only?.slice(only.indexOf('/cloud-infrastructure/')).split('/').slice(1).map(decodeURIComponent);
    for (const [vimId, region] of this.regions) {
      for (const target of [region, ...itemsOf(region['availability-zones'], 'availability-zone')]) {
        if (onlyPath) {
          const zone = onlyPath[5] === 'availability-zones' ? onlyPath[7] : undefined;
          if (`${onlyPath[3]}_${onlyPath[4]}` !== vimId || (zone ? target['availability-zone-name'] !== zone : target !== region)) continue;
        }
        if (!target['relationship-list']) continue;
        target['relationship-list'] = { relationship: itemsOf(target['relationship-list'], 'relationship').filter((r) => r['related-link'] !== link) };
      }
    }
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
