import { AaiObject } from '../../domain/aai-object';
import { toAaiAvailabilityZone } from '../../domain/availability-zone';
import { DesiredZone, desiredZones } from '../../domain/compute-inventory';
import { NovaFlavor, isOnapFlavor, toAaiFlavor } from '../../domain/flavor';
import { toAaiImage } from '../../domain/image';
import { Listing } from '../../domain/listing';
import { ListedKind, ObjectKind } from '../../domain/object-kinds';
import { pserverBody } from '../../domain/pserver';
import { toAaiTenant } from '../../domain/tenant';
import { VimId } from '../../domain/vim-id';
import { reportWarning } from '../jobs/call-scope';
import { StepFailure, TaskBudget } from '../jobs/task-budget';
import { CloudSession, OpenStackPort } from '../ports/openstack.port';

/** What a kind's listing reads the cloud with, for one region and one job. */
export interface CloudReads {
  openstack: OpenStackPort;
  tasks: TaskBudget;
  session: CloudSession;
  openstackRegionId: string;
  vimId: VimId;
  schema: string;
  /** Set when the session fell back to another scope than the one that wrote the objects. */
  scopeFallback?: string;
  /** Steps that failed without failing the listing (an extra-spec read), and the kinds they leave unknown. */
  failures: StepFailure[];
  unknown: Set<ObjectKind>;
  /** One call shared by the kinds that come from it (zones and pservers from one read of the compute services and aggregates). */
  once<T>(key: string, read: () => Promise<T>): Promise<T>;
}

/** The application's half of a kind (the domain's is KIND_RULES): its cloud listing, mapped to A&AI bodies, with its proof. */
interface CloudKind {
  /** The step a failed listing is reported under. */
  step: string;
  /** The kinds a failed listing leaves unknown (left out of the plan). */
  covers: ObjectKind[];
  list(reads: CloudReads): Promise<Listing<AaiObject>>;
}

/**
 * Each kind the cloud lists, by the same keys as the domain's KIND_RULES (the compiler
 * finds a kind without one). Nested kinds (HPA capabilities) come with their parent.
 */
export const CLOUD_KINDS: Record<ListedKind, CloudKind> = {
  tenant: { step: 'tenants', covers: ['tenant'], list: listTenants },
  flavor: { step: 'flavors', covers: ['flavor', 'hpa-capability'], list: listFlavors },
  image: {
    step: 'images',
    covers: ['image'],
    list: async ({ openstack, session, openstackRegionId }) => mapped(await openstack.listImages(session, openstackRegionId), toAaiImage),
  },
  'availability-zone': {
    step: 'availability zones',
    covers: ['availability-zone', 'pserver'],
    list: async (reads) => mapped(await zoneListing(reads), (zone) => toAaiAvailabilityZone({ zoneName: zone.name, zoneState: { available: zone.available } })),
  },
  pserver: {
    step: 'availability zones',
    covers: ['availability-zone', 'pserver'],
    list: async (reads) => {
      const zones = await zoneListing(reads);
      return { items: zones.items.flatMap((zone) => zone.hosts.map((host) => pserverBody(reads.schema, reads.vimId, host, zone.name))), proof: zones.proof };
    },
  },
};

/** The zones and their hosts, read once per region for both kinds: compute services (disabled and down hosts included) and aggregates. */
function zoneListing(reads: CloudReads): Promise<Listing<DesiredZone>> {
  return reads.once('zones', async () => {
    const { openstack, session, openstackRegionId } = reads;
    const [services, aggregates] = await Promise.all([openstack.listComputeServices(session, openstackRegionId), openstack.listAggregates(session, openstackRegionId)]);
    const desired = desiredZones(services, aggregates);
    return { items: desired.zones, proof: desired.proof };
  });
}

/** Keystone /projects (the adapter answers a 403 with the token's own project, proving nothing about the others). */
async function listTenants({ openstack, session, scopeFallback }: CloudReads): Promise<Listing<AaiObject>> {
  return withFallback(mapped(await openstack.listProjects(session), toAaiTenant), scopeFallback);
}

/** Flavors with their HPA capabilities; a flavor whose extra specs cannot be read is a failure, and its capabilities unknown. */
async function listFlavors(reads: CloudReads): Promise<Listing<AaiObject>> {
  const { openstack, session, openstackRegionId: region, tasks } = reads;
  const listing = await openstack.listFlavors(session, region);
  const bodies = new Map<NovaFlavor, AaiObject>();
  const failure = await tasks.runStep('flavors', listing.items, async (flavor) => {
    const specs = !isOnapFlavor(flavor) ? undefined : (flavor.extra_specs ?? (await openstack.getFlavorExtraSpecs(session, region, String(flavor.id))));
    // What HPA derivation had to cap (a huge hw:numa_nodes) is a warning in the job's status.
    const capped: string[] = [];
    bodies.set(flavor, toAaiFlavor(flavor, specs, capped));
    capped.forEach(reportWarning);
  });
  if (failure) {
    reads.failures.push(failure);
    reads.unknown.add('hpa-capability');
  }
  return withFallback({ items: listing.items.map((flavor) => bodies.get(flavor) ?? toAaiFlavor(flavor)), proof: listing.proof }, reads.scopeFallback);
}

function mapped<T>(listing: Listing<T>, map: (item: T) => AaiObject): Listing<AaiObject> {
  return { items: listing.items.map(map), proof: listing.proof };
}

/** A listing read through a fallback scope is not authoritative for what the asked-for scope wrote. */
function withFallback(listing: Listing<AaiObject>, fallback: string | undefined): Listing<AaiObject> {
  if (!fallback) return listing;
  const reason = [listing.proof.reason, fallback].filter(Boolean).join('; ');
  return { items: listing.items, proof: { complete: listing.proof.complete, authoritative: false, reason } };
}
