import { Injectable } from '@nestjs/common';

import { ApiVersion } from '../../domain/cloud-region';
import { WorkloadBody, WorkloadFailure, isHeatTemplateType, jobWorkloadReason, jobWorkloadStatus, mergeDirectives, workloadBody, workloadKey } from '../../domain/infra-workload';
import { VimId } from '../../domain/vim-id';
import { RemoteCallError } from '../ports/remote-call.error';
import { HeatPort } from '../ports/heat.port';
import { K8sWorkloadCall, K8sWorkloadPort } from '../ports/k8s-workload.port';
import { WorkloadJobStorePort } from '../ports/workload-store.port';
import { WorkloadJobs } from './workload-jobs';
import { WorkloadRegions } from './workload-region';

/** An answer: the status and the body (SPEC 13's four keys, or the k8s plugin's own answer). */
export interface WorkloadAnswer {
  status: number;
  body?: WorkloadBody | unknown;
  /** The k8s plugin's content type, for an answer passed on as it came. */
  contentType?: string;
}

/** The POST body SO sends to create a workload. */
export interface CreateWorkload {
  genericVnfId?: string;
  vfModuleId?: string;
  templateType?: string;
  templateData: Record<string, unknown> & { stack_name: string; parameters?: Record<string, unknown> };
  oofDirectives?: unknown;
  sdncDirectives?: unknown;
  userDirectives?: unknown;
  /** The body as received, for the k8s plugin. */
  raw: unknown;
}

export interface WorkloadCaller {
  vimId: VimId;
  apiVersion: ApiVersion;
  project?: string;
  query: string;
}

/** The keys of a Heat stack create that SO's template_data may carry. */
const STACK_KEYS = ['stack_name', 'template', 'template_url', 'parameters', 'environment', 'environment_files', 'files', 'timeout_mins', 'disable_rollback', 'tags'];

/** SO's workload API (SPEC 13): create, query, find, heatbridge, delete. */
@Injectable()
export class InfraWorkloads {
  constructor(
    private readonly regions: WorkloadRegions,
    private readonly heat: HeatPort,
    private readonly k8s: K8sWorkloadPort,
    private readonly jobs: WorkloadJobs,
    private readonly store: WorkloadJobStorePort,
  ) {}

  async create(caller: WorkloadCaller, request: CreateWorkload): Promise<WorkloadAnswer> {
    if (!isHeatTemplateType(request.templateType)) {
      throw new WorkloadFailure(400, 'CREATE_FAILED', `Bad parameters: template type ${String(request.templateType)} is not heat`);
    }
    const region = await this.regions.open(caller.vimId, caller.project, 'CREATE_FAILED');
    if (region.orchestrator === 'k8s') return this.forward(caller, { method: 'POST', suffix: '', body: request.raw });
    const data = request.templateData;
    const stack: Record<string, unknown> = {};
    for (const key of STACK_KEYS) if (data[key] !== undefined) stack[key] = data[key];
    stack.parameters = mergeDirectives(data.parameters ?? {}, data.template, request.sdncDirectives, request.oofDirectives, request.userDirectives);
    try {
      const created = await this.heat.createStack(region.session, region.openstackRegionId, stack);
      return { status: 201, body: workloadBody(created.id, 'CREATE_IN_PROGRESS', { stack: { id: created.id, links: created.links } }) };
    } catch (error) {
      throw new WorkloadFailure(400, 'CREATE_FAILED', heatMessage(error));
    }
  }

  /** GET …/infra_workload?name=X or ?id=X: the stacks Heat lists (`{"stacks": []}` when none). */
  async find(caller: WorkloadCaller, filter: { name?: string; id?: string }): Promise<WorkloadAnswer> {
    if (!filter.name && !filter.id) throw new WorkloadFailure(400, 'GET_FAILED', 'workload id is not found in API url: give ?name= or ?id=');
    const region = await this.regions.open(caller.vimId, caller.project, 'GET_FAILED');
    if (region.orchestrator === 'k8s') return this.forward(caller, { method: 'GET', suffix: '' });
    const stacks = await this.heat.findStacks(region.session, region.openstackRegionId, filter.id ? { id: filter.id } : { name: filter.name });
    const id = typeof stacks[0]?.id === 'string' ? (stacks[0].id as string) : '';
    return { status: 200, body: workloadBody(id, 'GET_COMPLETE', { stacks }) };
  }

  /** GET …/infra_workload/{id}: a heatbridge or cleanup job's status, else Heat's stack. */
  async get(caller: WorkloadCaller, workloadId: string): Promise<WorkloadAnswer> {
    const record = await this.store.latest(workloadKey(caller.vimId.toString(), workloadId));
    if (record) return { status: 200, body: workloadBody(workloadId, jobWorkloadStatus(record), jobWorkloadReason(record, workloadId)) };
    const region = await this.regions.open(caller.vimId, caller.project, 'GET_FAILED');
    if (region.orchestrator === 'k8s') return this.forward(caller, { method: 'GET', suffix: `/${encodeURIComponent(workloadId)}` });
    const stack = await this.heat.getStack(region.session, region.openstackRegionId, workloadId);
    if (!stack) throw new WorkloadFailure(404, 'GET_FAILED', `stack ${workloadId} not found in Heat`, workloadId);
    return { status: 200, body: workloadBody(workloadId, stack.stack_status, { stack }) };
  }

  /** POST …/infra_workload/{id}: the heatbridge, a job; 202. */
  async heatbridge(caller: WorkloadCaller, workloadId: string, refs: { genericVnfId?: string; vfModuleId?: string; raw: unknown }): Promise<WorkloadAnswer> {
    const region = await this.regions.open(caller.vimId, caller.project, 'UPDATE_FAILED');
    if (region.orchestrator === 'k8s') return this.forward(caller, { method: 'POST', suffix: `/${encodeURIComponent(workloadId)}`, body: refs.raw });
    const key = await this.remember(caller, workloadId, { genericVnfId: refs.genericVnfId, vfModuleId: refs.vfModuleId });
    await this.jobs.submit({ kind: 'register', vimId: key, apiVersion: caller.apiVersion, project: caller.project });
    return { status: 202, body: workloadBody(workloadId, 'UPDATE_IN_PROGRESS', `heatbridge of stack ${workloadId} accepted`) };
  }

  /** DELETE …/infra_workload/{id}: the stack, then what the heatbridge wrote, as a job; 204. */
  async delete(caller: WorkloadCaller, workloadId: string): Promise<WorkloadAnswer> {
    const region = await this.regions.open(caller.vimId, caller.project, 'DELETE_FAILED');
    if (region.orchestrator === 'k8s') return this.forward(caller, { method: 'DELETE', suffix: `/${encodeURIComponent(workloadId)}` });
    const key = await this.remember(caller, workloadId, {});
    await this.jobs.submit({ kind: 'unregister', vimId: key, apiVersion: caller.apiVersion, project: caller.project });
    return { status: 204 };
  }

  private async remember(caller: WorkloadCaller, workloadId: string, refs: { genericVnfId?: string; vfModuleId?: string }): Promise<string> {
    const vimId = caller.vimId.toString();
    const key = workloadKey(vimId, workloadId);
    const held = await this.store.spec(key);
    const spec = { ...held, vimId, workloadId, project: caller.project ?? held?.project };
    if (refs.genericVnfId !== undefined) spec.genericVnfId = refs.genericVnfId;
    if (refs.vfModuleId !== undefined) spec.vfModuleId = refs.vfModuleId;
    await this.store.saveSpec(key, spec);
    return key;
  }

  private async forward(caller: WorkloadCaller, call: Omit<K8sWorkloadCall, 'query' | 'project'>): Promise<WorkloadAnswer> {
    const answer = await this.k8s.forward(caller.vimId, { ...call, query: caller.query, project: caller.project });
    return { status: answer.status, body: answer.body, contentType: answer.contentType };
  }
}

function heatMessage(error: unknown): string {
  if (error instanceof RemoteCallError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
