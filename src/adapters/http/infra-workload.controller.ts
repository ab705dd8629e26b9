import { ArgumentsHost, Catch, Controller, Delete, ExceptionFilter, Get, Headers, HttpException, Logger, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';

import { InfraWorkloads, WorkloadAnswer, WorkloadCaller } from '../../application/infra-workload/infra-workloads';
import { Redactor } from '../../application/jobs/redactor';
import { RemoteCallError } from '../../application/ports/remote-call.error';
import { StoreUnavailableError } from '../../application/ports/store-unavailable.error';
import { CloudRegionNotFoundError, InvalidVimIdError, VimInfoIncompleteError } from '../../domain/errors';
import { WorkloadFailure, workloadBody } from '../../domain/infra-workload';
import { WorkloadBodyModel } from './api-models';
import { CreateWorkloadDto, HeatbridgeDto, createWorkloadOf, heatbridgeOf } from './infra-workload.request';
import { API_PREFIX, ApiProjectHeader, ApiRegion, Region, RegionRef, regionPaths } from './region-ref.decorator';

const COLLECTION = regionPaths('/infra_workload');
const ONE = regionPaths('/infra_workload/:workloadId');
/** Heat templates with their files can be large; a body over this is refused. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** What each status of the workload API means (the body is always the four keys). */
const ANSWERS: Record<number, string> = {
  200: 'workload_status and workload_status_reason',
  201: 'CREATE_IN_PROGRESS; workload_id is the stack id',
  202: 'UPDATE_IN_PROGRESS: the heatbridge runs as a job',
  204: 'the delete runs as a job; GET then answers DELETE_IN_PROGRESS, then DELETE_COMPLETE',
  400: 'a bad id or body, no orchestrator in the region, or Heat refused the create',
  404: "the region is not in A&AI, or Heat does not know the stack (Heat's other refusals of a read keep their 4xx status)",
  413: 'a body over 16 MB',
  500: 'a remote call failed (the message names it)',
  503: "the service's store cannot be read or written",
};

function answers(...statuses: number[]): MethodDecorator {
  return (target, key, descriptor) => {
    for (const status of statuses) {
      const decorate = status === 204 ? ApiResponse({ status, description: ANSWERS[status] }) : ApiResponse({ status, description: ANSWERS[status], type: WorkloadBodyModel });
      decorate(target, key, descriptor);
    }
  };
}

/** Every error of the workload API in SO's envelope, with the workload status of the call. */
@Catch()
export class InfraWorkloadErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('InfraWorkload');

  constructor(private readonly redactor: Redactor) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const failStatus = failStatusOf(request);
    const workloadId = String(request.params?.workloadId ?? '');
    const [status, workloadStatus, message] = this.translate(error, failStatus);
    if (status >= 500) this.logger.error(this.redactor.line(`${request.method} ${request.path}: ${message}`));
    response.status(status).json(workloadBody(workloadId, workloadStatus, this.redactor.line(message)));
  }

  private translate(error: unknown, failStatus: string): [number, string, string] {
    if (error instanceof WorkloadFailure) return [error.httpStatus, error.workloadStatus, error.message];
    if (error instanceof InvalidVimIdError) return [400, failStatus, error.message];
    if (error instanceof CloudRegionNotFoundError || error instanceof VimInfoIncompleteError) return [404, failStatus, error.message];
    if (error instanceof StoreUnavailableError) return [503, failStatus, error.message];
    // Heat's own refusals keep their status (a 403 of a project the caller may not use…).
    if (error instanceof RemoteCallError && error.system === 'Heat' && error.refused) return [error.status!, failStatus, error.message];
    if (error instanceof RemoteCallError) return [500, failStatus, error.message];
    if (error instanceof HttpException) return [error.getStatus(), failStatus, error.message];
    this.logger.error(this.redactor.text(error instanceof Error ? (error.stack ?? error.message) : String(error)));
    return [500, failStatus, 'Internal error'];
  }
}

function failStatusOf(request: Request): string {
  if (request.method === 'DELETE') return 'DELETE_FAILED';
  if (request.method === 'GET') return 'GET_FAILED';
  return request.params?.workloadId ? 'UPDATE_FAILED' : 'CREATE_FAILED';
}

/**
 * SO's workload API (SPEC 13) on v0 and v1: `…/infra_workload[/{workload-id}]`, trailing
 * slash optional. Every answer with a body is SO's four keys, errors included (the k8s
 * plugin's answers pass unchanged).
 */
@ApiTags('infra_workload')
@ApiRegion()
@Controller(API_PREFIX)
@UseFilters(InfraWorkloadErrorFilter)
export class InfraWorkloadController {
  constructor(private readonly workloads: InfraWorkloads) {}

  @Post(COLLECTION)
  @ApiOperation({ summary: 'Create a workload: a Heat stack (SO MulticloudRequest)' })
  @ApiProjectHeader()
  @ApiBody({ type: CreateWorkloadDto })
  @answers(201, 400, 404, 413, 500, 503)
  async create(@Region() region: RegionRef, @Req() request: Request, @Res() response: Response, @Headers('project') project?: string): Promise<void> {
    const json = await readJson(request, 'CREATE_FAILED');
    send(response, await this.workloads.create(caller(region, request, project), createWorkloadOf(json)));
  }

  @Get(COLLECTION)
  @ApiOperation({ summary: 'Find stacks by ?name= or ?id= (SO checks the name is free before creating)' })
  @ApiProjectHeader()
  @answers(200, 400, 404, 500, 503)
  async find(@Region() region: RegionRef, @Req() request: Request, @Res() response: Response, @Headers('project') project?: string): Promise<void> {
    const name = firstQuery(request.query.name);
    const id = firstQuery(request.query.id);
    send(response, await this.workloads.find(caller(region, request, project), { name, id }));
  }

  @Delete(COLLECTION)
  @ApiOperation({ summary: 'Refused: a delete names its workload' })
  @answers(400)
  refuseDelete(@Region() _region: RegionRef): never {
    throw new WorkloadFailure(400, 'DELETE_FAILED', 'workload id is not found in API url');
  }

  @Get(ONE)
  @ApiOperation({ summary: "A workload's status: its heatbridge or delete job, else Heat's stack with its outputs" })
  @ApiParam({ name: 'workloadId', description: 'the stack id' })
  @ApiProjectHeader()
  @answers(200, 400, 404, 500, 503)
  async get(
    @Region() region: RegionRef,
    @Param('workloadId') workloadId: string,
    @Req() request: Request,
    @Res() response: Response,
    @Headers('project') project?: string,
  ): Promise<void> {
    send(response, await this.workloads.get(caller(region, request, project), workloadId));
  }

  @Post(ONE)
  @ApiOperation({ summary: "The heatbridge: write the stack's vservers and l-interfaces to A&AI (background job)" })
  @ApiParam({ name: 'workloadId', description: 'the stack id' })
  @ApiProjectHeader()
  @ApiBody({ type: HeatbridgeDto, required: false })
  @answers(202, 400, 404, 413, 500, 503)
  async heatbridge(
    @Region() region: RegionRef,
    @Param('workloadId') workloadId: string,
    @Req() request: Request,
    @Res() response: Response,
    @Headers('project') project?: string,
  ): Promise<void> {
    const json = await readJson(request, 'UPDATE_FAILED', true);
    send(response, await this.workloads.heatbridge(caller(region, request, project), workloadId, heatbridgeOf(json)));
  }

  @Delete(ONE)
  @ApiOperation({ summary: 'Delete the stack, then what the heatbridge wrote (background job)' })
  @ApiParam({ name: 'workloadId', description: 'the stack id' })
  @ApiProjectHeader()
  @answers(204, 400, 404, 500, 503)
  async delete(
    @Region() region: RegionRef,
    @Param('workloadId') workloadId: string,
    @Req() request: Request,
    @Res() response: Response,
    @Headers('project') project?: string,
  ): Promise<void> {
    send(response, await this.workloads.delete(caller(region, request, project), workloadId));
  }
}

function caller(region: RegionRef, request: Request, project: string | undefined): WorkloadCaller {
  const at = request.originalUrl.indexOf('?');
  return { vimId: region.vimId, apiVersion: region.apiVersion, project: project?.trim() || undefined, query: at >= 0 ? request.originalUrl.slice(at + 1) : '' };
}

function send(response: Response, answer: WorkloadAnswer): void {
  response.status(answer.status);
  if (answer.body === undefined || answer.status === 204) response.end();
  // The k8s plugin's text (Go's http.Error) goes on as text, with its content type.
  else if (typeof answer.body === 'string') response.type(answer.contentType ?? 'text/plain').send(answer.body);
  else response.json(answer.body);
}

function firstQuery(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

/** The request's JSON body (bodies of these routes are read here, bounded); an absent body is undefined when allowed. */
async function readJson(request: Request, failStatus: string, optional = false): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new WorkloadFailure(413, failStatus, `the body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') {
    if (optional) return undefined;
    throw new WorkloadFailure(400, failStatus, 'the body is empty');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new WorkloadFailure(400, failStatus, 'the body is not valid JSON');
  }
}
