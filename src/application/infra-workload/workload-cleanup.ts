import { Injectable } from '@nestjs/common';

import { itemsOf } from '../../domain/aai-object';
import { lInterfaceUri, vserverUri } from '../../domain/heatbridge-objects';
import { JobCode, JobOutcome } from '../../domain/job-status';
import { VimId } from '../../domain/vim-id';
import { pause } from '../jobs/call-scope';
import { describeError } from '../jobs/job-messages';
import { JobBody } from '../jobs/region-jobs';
import { AaiPort, AaiWrite } from '../ports/aai.port';
import { HeatPort } from '../ports/heat.port';
import { JobRequest } from '../ports/job-store.port';
import { WorkloadJobStorePort } from '../ports/workload-store.port';
import { WorkloadRegions } from './workload-region';
import { writeAll } from './workload-writes';

/** Polls of a deleting stack: the first after this, doubling up to the cap. */
const POLL_FIRST_MS = 100;
const POLL_CAP_MS = 5_000;

/**
 * DELETE of a workload (SPEC 13), a workload job: the stack's servers are read (and
 * kept in the store) before the stack is deleted; once Heat no longer has it, what the
 * heatbridge wrote is removed from A&AI, l-interfaces before their vservers. A stack
 * Heat does not know is already deleted.
 */
@Injectable()
export class WorkloadCleanup implements JobBody {
  constructor(
    private readonly store: WorkloadJobStorePort,
    private readonly regions: WorkloadRegions,
    private readonly heat: HeatPort,
    private readonly aai: AaiPort,
  ) {}

  async run(request: JobRequest): Promise<JobOutcome> {
    const spec = await this.store.spec(request.vimId);
    if (!spec) return { code: JobCode.FAILURE, message: `delete of ${request.vimId}: what SO asked for is no longer in the store` };
    const stackId = spec.workloadId;
    try {
      const vimId = VimId.parse(spec.vimId);
      const region = await this.regions.openHeat(vimId, spec.project, 'DELETE_FAILED');
      const { session, openstackRegionId } = region;
      let serverIds = spec.serverIds ?? [];
      const stack = await this.heat.getStack(session, openstackRegionId, stackId);
      if (stack) {
        const resources = await this.heat.listResources(session, openstackRegionId, stack);
        serverIds = [...new Set([...serverIds, ...resources.filter((r) => r.resource_type === 'OS::Nova::Server').map((r) => r.physical_resource_id)])];
        await this.store.saveSpec(request.vimId, { ...spec, serverIds });
        await this.heat.deleteStack(session, openstackRegionId, stack);
        const reason = await this.untilGone(region.session, openstackRegionId, stackId);
        if (reason) return { code: JobCode.FAILURE, message: `Heat could not delete stack ${stackId}: ${reason}` };
      }
      const tenantId = spec.tenantId ?? session.project.id;
      const [interfaces, vservers] = await this.heldWrites(vimId, tenantId, serverIds);
      const failures = [...(await writeAll(this.aai.writer(), interfaces)), ...(await writeAll(this.aai.writer(), vservers))];
      if (failures.length) {
        const first = failures[0];
        return {
          code: first.status ?? JobCode.FAILURE,
          message: `delete of stack ${stackId}: ${failures.length} A&AI delete(s) failed, the first: ${first.uri}: ${first.message}`,
        };
      }
      return {
        code: JobCode.SUCCESS,
        message: `stack ${stackId} deleted${stack ? '' : ' (Heat no longer knew it)'}; ${vservers.length} vserver(s) and ${interfaces.length} l-interface(s) removed from A&AI`,
      };
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      return { code: typeof status === 'number' && status >= 400 ? status : JobCode.FAILURE, message: `delete of stack ${stackId} failed: ${describeError(error)}` };
    }
  }

  /** Undefined once Heat no longer shows the stack (or shows it DELETE_COMPLETE); else why not. */
  private async untilGone(session: Parameters<HeatPort['getStack']>[0], region: string, stackId: string): Promise<string | undefined> {
    for (let wait = POLL_FIRST_MS; ; wait = Math.min(wait * 2, POLL_CAP_MS)) {
      const stack = await this.heat.getStack(session, region, stackId);
      if (!stack || stack.stack_status === 'DELETE_COMPLETE') return undefined;
      if (stack.stack_status === 'DELETE_FAILED') return String(stack.stack_status_reason ?? 'DELETE_FAILED');
      await pause(wait);
    }
  }

  /** The deletes of what A&AI holds of the servers: their l-interfaces, then the vservers. */
  private async heldWrites(vimId: VimId, tenantId: string, serverIds: string[]): Promise<[AaiWrite[], AaiWrite[]]> {
    const interfaces: AaiWrite[] = [];
    const vservers: AaiWrite[] = [];
    for (const id of serverIds) {
      const held = await this.aai.getVserver(vimId, tenantId, id);
      if (!held) continue;
      for (const item of itemsOf(held['l-interfaces'], 'l-interface')) {
        interfaces.push({ uri: lInterfaceUri(vimId, tenantId, id, String(item['interface-name'])), action: 'delete', held: item });
      }
      const { ['l-interfaces']: _children, ...vserver } = held;
      vservers.push({ uri: vserverUri(vimId, tenantId, id), action: 'delete', held: vserver });
    }
    return [interfaces, vservers];
  }
}
