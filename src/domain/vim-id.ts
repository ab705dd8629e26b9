import { InvalidVimIdError } from './errors';

/** The forms a vimid, a cloud-owner and a cloud-region-id must have (the API documents show them too). */
export const VIM_ID = /^([0-9a-zA-Z-]+)_([0-9a-zA-Z_-]+)$/;
export const OWNER = /^[0-9a-zA-Z-]+$/;
export const REGION = /^[0-9a-zA-Z_-]+$/;

/**
 * A cloud region's identity in MultiCloud: `{cloud-owner}_{cloud-region-id}`.
 * The owner has no `_`; the region id may have some.
 */
export class VimId {
  private constructor(
    readonly cloudOwner: string,
    readonly cloudRegionId: string,
  ) {}

  static parse(value: string): VimId {
    const match = VIM_ID.exec(value ?? '');
    if (!match) {
      throw new InvalidVimIdError(
        `Invalid vimid "${printable(value)}": expected {cloud-owner}_{cloud-region-id} ` + 'with the owner in [0-9a-zA-Z-] and the region in [0-9a-zA-Z_-]',
      );
    }
    return new VimId(match[1], match[2]);
  }

  static of(cloudOwner: string, cloudRegionId: string): VimId {
    if (!OWNER.test(cloudOwner ?? '')) {
      throw new InvalidVimIdError(`Invalid cloud-owner "${printable(cloudOwner)}": expected [0-9a-zA-Z-]+ (no "_")`);
    }
    if (!REGION.test(cloudRegionId ?? '')) {
      throw new InvalidVimIdError(`Invalid cloud-region-id "${printable(cloudRegionId)}": expected [0-9a-zA-Z_-]+`);
    }
    return new VimId(cloudOwner, cloudRegionId);
  }

  /** The A&AI region a distributed-cloud subcloud R of this region becomes. */
  subcloud(openstackRegionId: string): VimId {
    return VimId.of(this.cloudOwner, `${this.cloudRegionId}_${openstackRegionId}`);
  }

  toString(): string {
    return `${this.cloudOwner}_${this.cloudRegionId}`;
  }
}

function printable(value: string | undefined): string {
  const text = String(value ?? '');
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
