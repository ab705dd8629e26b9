import { AaiPort } from '../../src/application/ports/aai.port';
import { AaiObject } from '../../src/domain/aai-object';
import { AaiCloudRegion } from '../../src/domain/cloud-region';

/** An A&AI that holds no region: every read is "not found", writes are not expected. */
export class EmptyAai extends AaiPort {
  readonly reads: string[] = [];

  async getCloudRegion(vimId: { toString(): string }): Promise<AaiObject | undefined> {
    this.reads.push(vimId.toString());
    return undefined;
  }
  async readCloudRegion(vimId: { toString(): string }): Promise<AaiCloudRegion | undefined> {
    this.reads.push(vimId.toString());
    return undefined;
  }
  async listRegionChildren(): Promise<AaiObject[]> {
    return [];
  }
  async getRegionChild(): Promise<AaiObject | undefined> {
    return undefined;
  }
  async getPserver(): Promise<AaiObject | undefined> {
    return undefined;
  }
  saveCloudRegion = notExpected;
  deleteCloudRegion = notExpected;
  saveRegionChild = notExpected;
  deleteRegionChild = notExpected;
  deleteFlavorHpaCapability = notExpected;
  deleteVserver = notExpected;
  deleteLInterface = notExpected;
  deleteAvailabilityZoneRelationship = notExpected;
  savePserver = notExpected;
  deletePserver = notExpected;
}

async function notExpected(): Promise<void> {
  throw new Error('not expected in this test');
}
