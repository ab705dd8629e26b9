import { AuditRecord, ProviderRoom } from '../domain/capacity-freshness';
import { HostRoom, PlacementProvider, SharedDisk, roomFromPlacement } from '../domain/host-capacity';
import { SHARING_TRAIT, sharedDisk, sharedDiskOf } from '../domain/scheduler-capacity';
import { CloudSession, OpenStackPort } from './ports/openstack.port';

/** What one audit found in Placement, and what the next audit may reuse. */
export interface PlacementRead {
  /** The compute nodes' room by provider name, with the sharing providers each may take DISK_GB from. */
  rooms: Map<string, HostRoom & { sharedDisk?: string[] }>;
  sharing: SharedDisk[];
  providers: Record<string, ProviderRoom>;
  nonSharing: Record<string, number>;
}

/**
 * SPEC section 9: the room of each wanted resource provider (the compute nodes of the
 * zones' schedulable hosts) and of the sharing providers (trait MISC_SHARES_VIA_AGGREGATE).
 * A provider whose generation is the one of the previous audit keeps what was read of it;
 * the others (new, or changed: Placement bumps a provider's generation on every inventory,
 * allocation, trait or aggregate change) are read again. So an unchanged region costs no
 * Placement call besides the provider list. Aggregates are read only while the region has
 * a sharing provider; the traits only of root providers that are not compute nodes.
 */
export async function readPlacement(
  openstack: OpenStackPort,
  session: CloudSession,
  openstackRegionId: string,
  providers: PlacementProvider[],
  wanted: Set<string>,
  computeNodeNames: Set<string>,
  previous: Pick<AuditRecord, 'providers' | 'nonSharing'> = {},
): Promise<PlacementRead> {
  const known = previous.providers ?? {};
  const unchanged = (p: PlacementProvider) => {
    const entry = known[p.uuid];
    // A record written before PCPU was read has no pcpu: read the provider again.
    return entry && entry.generation === p.generation && entry.name === p.name && entry.room.pcpu !== undefined ? entry : undefined;
  };

  // Which other root providers share their disk: their traits, once per generation.
  const nonSharing: Record<string, number> = {};
  const sharingProviders: PlacementProvider[] = [];
  const others = providers.filter((p) => !wanted.has(p.name) && !computeNodeNames.has(p.name) && !p.parentProviderUuid);
  await Promise.all(
    others.map(async (p) => {
      if (unchanged(p)?.sharing) return void sharingProviders.push(p);
      if (previous.nonSharing?.[p.uuid] === p.generation) return void (nonSharing[p.uuid] = p.generation);
      const traits = await openstack.getProviderTraits(session, openstackRegionId, p.uuid);
      if (traits.value.includes(SHARING_TRAIT)) sharingProviders.push(p);
      else nonSharing[p.uuid] = traits.generation === p.generation ? p.generation : -1;
    }),
  );
  const withAggregates = sharingProviders.length > 0;

  const read = async (p: PlacementProvider, sharing: boolean): Promise<ProviderRoom> => {
    const reused = unchanged(p);
    if (reused && (!withAggregates || reused.aggregates)) return { ...reused, ...(sharing ? { sharing } : {}) };
    if (reused) {
      const aggregates = await openstack.getProviderAggregates(session, openstackRegionId, p.uuid);
      return { ...reused, generation: aggregates.generation === reused.generation ? reused.generation : -1, aggregates: aggregates.value };
    }
    const [inventories, usages, aggregates] = await Promise.all([
      openstack.getProviderInventories(session, openstackRegionId, p.uuid),
      openstack.getProviderUsages(session, openstackRegionId, p.uuid),
      withAggregates ? openstack.getProviderAggregates(session, openstackRegionId, p.uuid) : undefined,
    ]);
    // All read at one generation: remember it. Else a change landed between the reads;
    // -1 makes the next audit read the provider again.
    const same = inventories.generation === usages.generation && (!aggregates || aggregates.generation === usages.generation);
    return {
      generation: same ? inventories.generation : -1,
      name: p.name,
      room: roomFromPlacement(inventories.value, usages.value),
      ...(aggregates ? { aggregates: aggregates.value } : {}),
      ...(sharing ? { sharing } : {}),
    };
  };

  const computeNodes: Record<string, ProviderRoom> = {};
  const sharing: Record<string, ProviderRoom> = {};
  await Promise.all([
    ...providers.filter((p) => wanted.has(p.name)).map(async (p) => void (computeNodes[p.uuid] = await read(p, false))),
    ...sharingProviders.map(async (p) => void (sharing[p.uuid] = await read(p, true))),
  ]);

  const disksOf = sharedDiskOf(computeNodes, sharing);
  const rooms = new Map<string, HostRoom & { sharedDisk?: string[] }>();
  for (const [uuid, node] of Object.entries(computeNodes)) {
    const disks = disksOf.get(uuid);
    rooms.set(node.name, { ...node.room, ...(disks ? { sharedDisk: disks } : {}) });
  }
  return {
    rooms,
    sharing: Object.entries(sharing).map(([uuid, provider]) => sharedDisk(uuid, provider)),
    providers: { ...computeNodes, ...sharing },
    nonSharing,
  };
}
