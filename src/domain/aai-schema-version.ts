/**
 * What an A&AI schema version defines among the properties the registration writes.
 * esr-system-info.openstack-region-id exists from v14; cloud-region.cloud-epa-caps is gone from v14.
 */
export class AaiSchemaVersion {
  readonly number: number;

  constructor(readonly name: string) {
    const match = /^v(\d+)$/.exec(name);
    if (!match) {
      throw new Error(`A&AI schema version must look like v13, got "${name}"`);
    }
    this.number = Number(match[1]);
  }

  get hasEsrOpenstackRegionId(): boolean {
    return this.number >= 14;
  }

  /** `bulk/single-transaction` arrived with v14 (Casablanca). */
  get hasBulkApi(): boolean {
    return this.number >= 14;
  }

  /** cloud-region `in-maint` first appears in v16 (SPEC 12: written for dcmanager subclouds). */
  get hasCloudRegionInMaint(): boolean {
    return this.number >= 16;
  }

  get hasCloudEpaCaps(): boolean {
    return this.number <= 13;
  }
}
