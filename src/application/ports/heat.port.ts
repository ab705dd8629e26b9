import { CloudSession } from './openstack.port';

/** A Heat stack as `GET /stacks/{name}/{id}` shows it (other keys kept as Heat sends them). */
export interface HeatStack {
  id: string;
  stack_name: string;
  stack_status: string;
  [key: string]: unknown;
}

/** One row of `GET /stacks/{name}/{id}/resources`. */
export interface HeatResource {
  resource_name: string;
  resource_type: string;
  resource_status: string;
  physical_resource_id: string;
}

/** What the heatbridge reads of a Nova server (`GET /servers/{id}`). */
export interface NovaServer {
  id: string;
  name: string;
  status: string;
  links: Array<{ rel: string; href: string }>;
  flavor?: { id?: string };
  /** "" when the server boots from a volume. */
  image?: { id?: string } | string;
  'OS-EXT-SRV-ATTR:host'?: string;
}

/** What the heatbridge reads of a Neutron port (`GET /v2.0/ports/{id}`). */
export interface NeutronPort {
  id: string;
  name: string;
  mac_address: string;
  network_id: string;
  device_id: string;
  fixed_ips: Array<{ ip_address: string; subnet_id?: string }>;
}

export type StackRef = { stack_name: string; id: string };

/**
 * Heat, and the Nova and Neutron reads of the heatbridge, through the session's
 * catalog in `openstackRegionId`. Failures throw RemoteCallError with Heat's status and
 * message; reads of what is not there answer undefined.
 */
export abstract class HeatPort {
  /** Whether the session's catalog has `orchestration` in the region. */
  abstract hasOrchestration(session: CloudSession, openstackRegionId: string): Promise<boolean>;
  /** `POST /stacks`: the new stack's id and links (201). */
  abstract createStack(session: CloudSession, openstackRegionId: string, body: Record<string, unknown>): Promise<{ id: string; links: unknown[] }>;
  /** `GET /stacks?name=` or `?id=`: the stacks listed, as Heat lists them. */
  abstract findStacks(session: CloudSession, openstackRegionId: string, filter: { name?: string; id?: string }): Promise<Array<Record<string, unknown>>>;
  /** `GET /stacks/{id}` (following Heat's redirect to `/stacks/{name}/{id}`). */
  abstract getStack(session: CloudSession, openstackRegionId: string, id: string): Promise<HeatStack | undefined>;
  abstract listResources(session: CloudSession, openstackRegionId: string, stack: StackRef): Promise<HeatResource[]>;
  /** `DELETE /stacks/{name}/{id}`; a stack Heat no longer knows counts as deleted. */
  abstract deleteStack(session: CloudSession, openstackRegionId: string, stack: StackRef): Promise<void>;
  abstract getServer(session: CloudSession, openstackRegionId: string, id: string): Promise<NovaServer | undefined>;
  abstract getPort(session: CloudSession, openstackRegionId: string, id: string): Promise<NeutronPort | undefined>;
  abstract getNetworkName(session: CloudSession, openstackRegionId: string, id: string): Promise<string | undefined>;
}
