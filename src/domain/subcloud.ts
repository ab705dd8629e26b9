import { textOf } from './cloud-extra-info';

/** A StarlingX subcloud as dcmanager's `GET /v1.0/subclouds` lists it (SPEC 12). */
export interface Subcloud {
  name: string;
  /** The Keystone region of the subcloud (a 32-hex id from StarlingX 21.12; absent before). */
  regionName?: string;
  managementState?: string;
  availabilityStatus?: string;
  deployStatus?: string;
  softwareVersion?: string;
}

/** What cloud-extra-info `subcloud` records of a composed region's subcloud. */
export interface SubcloudInfo {
  name: string;
  'management-state': string | null;
  'availability-status': string | null;
  'deploy-status': string | null;
  'software-version': string | null;
}

/** What a subcloud's dcmanager state does to its A&AI region. */
export interface SubcloudLifecycle {
  info: SubcloudInfo;
  /** `in-maint` (schema versions that define it): unmanaged or offline. */
  inMaint: boolean;
  /** While in maintenance nothing calls the site: no reconcile of its objects, no audit. */
  paused: boolean;
}

/** The subclouds of a dcmanager list body; entries without a name are skipped. */
export function parseSubclouds(body: unknown): Subcloud[] {
  const list = (body as { subclouds?: unknown } | undefined)?.subclouds;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: Record<string, unknown>) => {
    const name = entry && typeof entry === 'object' ? textOf(entry.name) : undefined;
    if (!name) return [];
    return [
      {
        name,
        regionName: textOf(entry['region-name']),
        managementState: textOf(entry['management-state']),
        availabilityStatus: textOf(entry['availability-status']),
        deployStatus: textOf(entry['deploy-status']),
        softwareVersion: textOf(entry['software-version']),
      },
    ];
  });
}

/** The subcloud of a Keystone region: by `region-name`, else (older releases without it) by `name`. */
export function subcloudOfRegion(subclouds: Subcloud[], openstackRegionId: string): Subcloud | undefined {
  return subclouds.find((s) => s.regionName === openstackRegionId) ?? subclouds.find((s) => s.regionName === undefined && s.name === openstackRegionId);
}

/** Unmanaged or offline: in maintenance, the site left alone. Managed and online: in service. */
export function subcloudLifecycle(subcloud: Subcloud): SubcloudLifecycle {
  const inMaint = subcloud.managementState === 'unmanaged' || subcloud.availabilityStatus === 'offline';
  return {
    info: {
      name: subcloud.name,
      'management-state': subcloud.managementState ?? null,
      'availability-status': subcloud.availabilityStatus ?? null,
      'deploy-status': subcloud.deployStatus ?? null,
      'software-version': subcloud.softwareVersion ?? null,
    },
    inMaint,
    paused: inMaint,
  };
}

/** Keystone regions dcmanager still lists (a composed region of one of them is not removed). */
export function regionsOfSubclouds(subclouds: Subcloud[]): Set<string> {
  return new Set(subclouds.map((s) => s.regionName ?? s.name));
}

/**
 * A region in maintenance, as A&AI records it (SPEC 12): `in-maint`, or (schema versions
 * without it) its cloud-extra-info `subcloud` unmanaged or offline. Nothing may call its site.
 */
export function subcloudInMaintenance(extraInfo: Record<string, unknown>, inMaint = false): boolean {
  if (inMaint) return true;
  const info = extraInfo['subcloud'];
  if (!info || typeof info !== 'object') return false;
  const recorded = info as Record<string, unknown>;
  return recorded['management-state'] === 'unmanaged' || recorded['availability-status'] === 'offline';
}

/** cloud-extra-info key that records that this service set the region's `in-maint` (and so may clear it). */
export const IN_MAINT_MARK = 'in-maint-set-by';
const IN_MAINT_OWNER = 'multicloud-starlingx';

/**
 * SPEC 12 with SPEC 7's ownership: `in-maint` is written on a dcmanager transition
 * only. Into maintenance: set true and marked as ours (unless an operator had already
 * set it: then left, unmarked). Out of maintenance: cleared only when the mark says we
 * set it; an operator's `in-maint: true` on a healthy subcloud stays. A new region gets
 * the subcloud's state. `inMaint` undefined: not written.
 */
export function maintenanceWrite(
  wanted: boolean | undefined,
  held: Record<string, unknown> | undefined,
  heldExtraInfo: Record<string, unknown>,
): { inMaint?: boolean; marked: boolean } {
  const marked = heldExtraInfo[IN_MAINT_MARK] === IN_MAINT_OWNER;
  if (wanted === undefined) return { marked };
  if (!held) return { inMaint: wanted, marked: wanted };
  const heldMaint = held['in-maint'] === true || held['in-maint'] === 'true';
  if (wanted) return heldMaint ? { marked } : { inMaint: true, marked: true };
  if (heldMaint && marked) return { inMaint: false, marked: false };
  return { marked: false };
}

/** cloud-extra-info with the in-maint mark set or removed. */
export function withMaintenanceMark(extraInfo: Record<string, unknown>, marked: boolean): Record<string, unknown> {
  const copy = { ...extraInfo };
  if (marked) copy[IN_MAINT_MARK] = IN_MAINT_OWNER;
  else delete copy[IN_MAINT_MARK];
  return copy;
}
