import { ProviderRoom } from '../domain/capacity-freshness';
import { PlacementProvider, roomFromPlacement } from '../domain/host-capacity';
import { CloudSession, OpenStackPort } from './ports/openstack.port';

/**
 * SPEC section 9: the room of each wanted resource provider. A provider whose generation
 * is the one of the previous audit keeps its room; the others (new, or changed: Placement
 * bumps a provider's generation on every inventory or allocation change) have their
 * inventories and usages read again. Providers no zone host maps to are not read.
 */
export async function readProviderRooms(
  openstack: OpenStackPort,
  session: CloudSession,
  openstackRegionId: string,
  providers: PlacementProvider[],
  wanted: Set<string>,
  previous: Record<string, ProviderRoom> = {},
): Promise<Record<string, ProviderRoom>> {
  const rooms: Record<string, ProviderRoom> = {};
  await Promise.all(
    providers
      .filter((provider) => wanted.has(provider.name))
      .map(async (provider) => {
        const known = previous[provider.uuid];
        if (known && known.generation === provider.generation && known.name === provider.name) {
          rooms[provider.uuid] = known;
          return;
        }
        const [inventories, usages] = await Promise.all([
          openstack.getProviderInventories(session, openstackRegionId, provider.uuid),
          openstack.getProviderUsages(session, openstackRegionId, provider.uuid),
        ]);
        // Both read at one generation: remember it. Else an allocation landed between the
        // two reads; -1 makes the next audit read the provider again.
        const generation = inventories.generation === usages.generation ? inventories.generation : -1;
        rooms[provider.uuid] = { generation, name: provider.name, room: roomFromPlacement(inventories.value, usages.value) };
      }),
  );
  return rooms;
}
