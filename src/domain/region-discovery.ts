const SYSTEM_CONTROLLER = 'SystemController';
const REGION_ONE = 'RegionOne';

export interface DiscoveredRegions {
  distributedCloud: boolean;
  regions: string[];
}

/**
 * The cloud's regions that can be registered. A StarlingX distributed cloud shows
 * itself by a SystemController region; there SystemController and RegionOne (the
 * central cloud) are dropped, leaving the subclouds.
 */
export function discoverRegions(regionIds: string[]): DiscoveredRegions {
  const distributedCloud = regionIds.includes(SYSTEM_CONTROLLER);
  const regions = regionIds.filter((id) => id !== SYSTEM_CONTROLLER && !(distributedCloud && id === REGION_ONE));
  return { distributedCloud, regions: [...new Set(regions)] };
}

/**
 * The openstack region of the A&AI region being registered: cloud-extra-info's
 * openstack-region-id if discovered, else the cloud-region-id if discovered, else the
 * first discovered region. When nothing was discovered (Keystone v2.0 has no regions
 * API): cloud-extra-info's openstack-region-id, else what A&AI already records.
 */
export function chooseMainRegion(discovered: string[], preferred: string | undefined, cloudRegionId: string, fallback: string): string {
  if (preferred && discovered.includes(preferred)) return preferred;
  if (discovered.includes(cloudRegionId)) return cloudRegionId;
  return discovered[0] ?? preferred ?? fallback;
}
