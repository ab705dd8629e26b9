import { Injectable } from '@nestjs/common';

import { AaiObject } from '../../domain/aai-object';
import { heldLInterfaces, holdsAll, interfaceName, lInterfaceUri, vserverUri, wantedLInterface, wantedVserver } from '../../domain/heatbridge-objects';
import { JobCode, JobOutcome } from '../../domain/job-status';
import { VimId } from '../../domain/vim-id';
import { describeError } from '../jobs/job-messages';
import { JobBody } from '../jobs/region-jobs';
import { AaiPort, AaiWrite } from '../ports/aai.port';
import { HeatPort, NeutronPort, NovaServer } from '../ports/heat.port';
import { JobRequest } from '../ports/job-store.port';
import { Settings } from '../ports/settings.port';
import { WorkloadJobStorePort } from '../ports/workload-store.port';
import { HeatRegion, WorkloadRegions } from './workload-region';
import { writeAll } from './workload-writes';

const SERVER = 'OS::Nova::Server';
const PORT = 'OS::Neutron::Port';

/**
 * SO's heatbridge (SPEC 13), a workload job: reads a CREATE_COMPLETE stack's servers and
 * ports and writes, under the session's tenant, each server as a vserver with its
 * relationships and each port as an l-interface of its server with its fixed IPs. What
 * A&AI already holds is not written again. Any failed write fails the job, naming it.
 */
@Injectable()
export class Heatbridge implements JobBody {
  constructor(
    private readonly store: WorkloadJobStorePort,
    private readonly regions: WorkloadRegions,
    private readonly heat: HeatPort,
    private readonly aai: AaiPort,
    private readonly settings: Settings,
  ) {}

  async run(request: JobRequest): Promise<JobOutcome> {
    const spec = await this.store.spec(request.vimId);
    if (!spec) return failed(`heatbridge of ${request.vimId}: what SO asked for is no longer in the store`);
    const stackId = spec.workloadId;
    try {
      const vimId = VimId.parse(spec.vimId);
      const region = await this.regions.openHeat(vimId, spec.project, 'UPDATE_FAILED');
      const stack = await this.heat.getStack(region.session, region.openstackRegionId, stackId);
      if (!stack) return failed(`stack ${stackId} not found in Heat`);
      if (stack.stack_status !== 'CREATE_COMPLETE') return failed(`stack ${stackId} is ${stack.stack_status}, not CREATE_COMPLETE`);
      const resources = await this.heat.listResources(region.session, region.openstackRegionId, stack);
      const notReady = resources.find((r) => (r.resource_type === SERVER || r.resource_type === PORT) && r.resource_status !== 'CREATE_COMPLETE');
      if (notReady) return failed(`resource ${notReady.resource_name} of stack ${stackId} is ${notReady.resource_status}`);
      const servers = await this.read(
        resources.filter((r) => r.resource_type === SERVER).map((r) => r.physical_resource_id),
        (id) => this.heat.getServer(region.session, region.openstackRegionId, id).then((s) => s ?? missing(`Nova server ${id}`)),
      );
      const ports = await this.read(
        resources.filter((r) => r.resource_type === PORT).map((r) => r.physical_resource_id),
        (id) => this.heat.getPort(region.session, region.openstackRegionId, id).then((p) => p ?? missing(`Neutron port ${id}`)),
      );
      const tenantId = region.session.project.id;
      await this.store.saveSpec(request.vimId, { ...spec, tenantId, serverIds: servers.map((s) => s.id) });
      return await this.write(region, vimId, tenantId, stackId, servers, ports, spec);
    } catch (error) {
      return failed(`heatbridge of stack ${stackId} failed: ${describeError(error)}`, error);
    }
  }

  private async write(
    region: HeatRegion,
    vimId: VimId,
    tenantId: string,
    stackId: string,
    servers: NovaServer[],
    ports: NeutronPort[],
    refs: { genericVnfId?: string; vfModuleId?: string },
  ): Promise<JobOutcome> {
    const version = this.settings.aaiSchema.name;
    const held = new Map<string, AaiObject | undefined>();
    for (const server of servers) held.set(server.id, await this.aai.getVserver(vimId, tenantId, server.id));
    const vservers: AaiWrite[] = [];
    for (const server of servers) {
      const wanted = wantedVserver(vimId, server, refs, version);
      const current = held.get(server.id);
      if (!holdsAll(current, wanted)) vservers.push({ uri: vserverUri(vimId, tenantId, server.id), action: current ? 'update' : 'create', wanted, held: current });
    }
    const networks = new Map<string, string | undefined>();
    const interfaces: AaiWrite[] = [];
    for (const port of ports.filter((p) => held.has(p.device_id))) {
      if (!networks.has(port.network_id)) networks.set(port.network_id, await this.heat.getNetworkName(region.session, region.openstackRegionId, port.network_id));
      const wanted = wantedLInterface(port, networks.get(port.network_id));
      const current = heldLInterfaces(held.get(port.device_id)).get(interfaceName(port));
      if (!holdsAll(current, wanted)) {
        interfaces.push({ uri: lInterfaceUri(vimId, tenantId, port.device_id, interfaceName(port)), action: current ? 'update' : 'create', wanted, held: current });
      }
    }
    // Parents first: an l-interface needs its vserver.
    const failures = [...(await writeAll(this.aai.writer(), vservers)), ...(await writeAll(this.aai.writer(), interfaces))];
    if (failures.length) {
      const first = failures[0];
      return {
        code: first.status ?? JobCode.FAILURE,
        message: `heatbridge of stack ${stackId}: ${failures.length} A&AI write(s) failed, the first: ${first.action} ${first.uri}: ${first.message}`,
      };
    }
    const bridged = ports.filter((p) => held.has(p.device_id)).length;
    const already = servers.length - vservers.length + bridged - interfaces.length;
    return {
      code: JobCode.SUCCESS,
      message: `heatbridge of stack ${stackId}: ${vservers.length} vserver(s) and ${interfaces.length} l-interface(s) written, ${already} already in A&AI`,
    };
  }

  private async read<T>(ids: string[], get: (id: string) => Promise<T>): Promise<T[]> {
    const found: T[] = [];
    for (const id of ids) found.push(await get(id));
    return found;
  }
}

function missing(what: string): never {
  throw new Error(`${what} of the stack is not there`);
}

function failed(message: string, error?: unknown): JobOutcome {
  const status = (error as { status?: unknown } | undefined)?.status;
  return { code: typeof status === 'number' && status >= 400 ? status : JobCode.FAILURE, message };
}
