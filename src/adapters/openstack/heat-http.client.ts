import { Injectable } from '@nestjs/common';

import { HeatPort, HeatResource, HeatStack, NeutronPort, NovaServer, StackRef } from '../../application/ports/heat.port';
import { CloudSession } from '../../application/ports/openstack.port';
import { RemoteCallError, RemoteSystem } from '../../application/ports/remote-call.error';
import { Redactor } from '../../application/jobs/redactor';
import { pathSegment } from '../../domain/path-segment';
import { AnswerShape } from '../outbound/answer-shape';
import { OutboundHttp } from '../outbound/outbound-http';
import { findEndpoint } from './keystone-catalog';
import { KeystoneSession } from './keystone-session';

/** Every status comes back to this client: Heat's own error text is read here, not lost. */
const ANY_STATUS = Array.from({ length: 400 }, (_, i) => 200 + i);
const NOVA_HEADERS = { 'X-OpenStack-Nova-API-Version': '2.1', 'OpenStack-API-Version': 'compute 2.1' };

interface Answer {
  status: number;
  data: any;
  headers: Record<string, string | undefined>;
}

/**
 * Heat (`orchestration`), and Nova and Neutron reads for the heatbridge, with the
 * session's token, through the catalog's public endpoints. Heat's errors keep its
 * status and its message (`error.message`, else `explanation`), redacted; a token
 * Keystone stopped accepting (401) is renewed once.
 */
@Injectable()
export class HeatHttpClient extends HeatPort {
  constructor(
    private readonly outbound: OutboundHttp,
    private readonly redactor: Redactor,
  ) {
    super();
  }

  async hasOrchestration(session: CloudSession, openstackRegionId: string): Promise<boolean> {
    return findEndpoint(keystone(session).catalog, ['orchestration'], openstackRegionId) !== undefined;
  }

  async createStack(session: CloudSession, region: string, body: Record<string, unknown>): Promise<{ id: string; links: unknown[] }> {
    const url = `${this.heat(session, region)}/stacks`;
    const answer = await this.call(session, 'Heat', 'POST', url, body);
    if (answer.status !== 201) throw this.failure('Heat', 'POST', url, answer);
    const stack = AnswerShape.of('Heat', url, answer.data).object('stack') as Record<string, unknown>;
    if (typeof stack.id !== 'string') throw AnswerShape.of('Heat', url, answer.data).error('a stack without id');
    return { id: stack.id, links: Array.isArray(stack.links) ? stack.links : [] };
  }

  async findStacks(session: CloudSession, region: string, filter: { name?: string; id?: string }): Promise<Array<Record<string, unknown>>> {
    const query = new URLSearchParams();
    if (filter.name !== undefined) query.set('name', filter.name);
    if (filter.id !== undefined) query.set('id', filter.id);
    const url = `${this.heat(session, region)}/stacks?${query}`;
    const answer = await this.call(session, 'Heat', 'GET', url);
    if (answer.status !== 200) throw this.failure('Heat', 'GET', url, answer);
    return AnswerShape.of('Heat', url, answer.data).list<Record<string, unknown>>('stacks');
  }

  async getStack(session: CloudSession, region: string, id: string): Promise<HeatStack | undefined> {
    const root = this.heat(session, region);
    let url = `${root}/stacks/${pathSegment(id)}`;
    let answer = await this.call(session, 'Heat', 'GET', url);
    if (answer.status === 302 && answer.headers.location) {
      // Heat's redirect names `/stacks/{name}/{id}` on its own host: keep the catalog's.
      const location = answer.headers.location;
      const at = location.indexOf('/stacks/');
      url = at >= 0 ? `${root}${location.slice(at)}` : location;
      answer = await this.call(session, 'Heat', 'GET', url);
    }
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw this.failure('Heat', 'GET', url, answer);
    const stack = AnswerShape.of('Heat', url, answer.data).object('stack') as HeatStack;
    if (typeof stack.id !== 'string' || typeof stack.stack_status !== 'string') {
      throw AnswerShape.of('Heat', url, answer.data).error('a stack without id or stack_status');
    }
    return stack;
  }

  async listResources(session: CloudSession, region: string, stack: StackRef): Promise<HeatResource[]> {
    const url = `${this.stackUrl(session, region, stack)}/resources`;
    const answer = await this.call(session, 'Heat', 'GET', url);
    if (answer.status === 404) return [];
    if (answer.status !== 200) throw this.failure('Heat', 'GET', url, answer);
    return AnswerShape.of('Heat', url, answer.data).list<HeatResource>('resources');
  }

  async deleteStack(session: CloudSession, region: string, stack: StackRef): Promise<void> {
    const url = this.stackUrl(session, region, stack);
    const answer = await this.call(session, 'Heat', 'DELETE', url);
    if (answer.status !== 204 && answer.status !== 200 && answer.status !== 404) throw this.failure('Heat', 'DELETE', url, answer);
  }

  async getServer(session: CloudSession, region: string, id: string): Promise<NovaServer | undefined> {
    const compute = this.endpoint(session, ['compute'], region);
    const url = `${compute}/servers/${pathSegment(id)}`;
    const answer = await this.call(session, 'Nova', 'GET', url, undefined, NOVA_HEADERS);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw this.failure('Nova', 'GET', url, answer);
    return AnswerShape.of('Nova', url, answer.data).object('server') as unknown as NovaServer;
  }

  async getPort(session: CloudSession, region: string, id: string): Promise<NeutronPort | undefined> {
    const url = `${this.neutron(session, region)}/v2.0/ports/${pathSegment(id)}`;
    const answer = await this.call(session, 'Neutron', 'GET', url);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw this.failure('Neutron', 'GET', url, answer);
    return AnswerShape.of('Neutron', url, answer.data).object('port') as unknown as NeutronPort;
  }

  async getNetworkName(session: CloudSession, region: string, id: string): Promise<string | undefined> {
    const url = `${this.neutron(session, region)}/v2.0/networks/${pathSegment(id)}`;
    const answer = await this.call(session, 'Neutron', 'GET', url);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw this.failure('Neutron', 'GET', url, answer);
    const name = (AnswerShape.of('Neutron', url, answer.data).object('network') as Record<string, unknown>).name;
    return typeof name === 'string' ? name : undefined;
  }

  private heat(session: CloudSession, region: string): string {
    return this.endpoint(session, ['orchestration'], region);
  }

  private neutron(session: CloudSession, region: string): string {
    return this.endpoint(session, ['network'], region).replace(/\/v2\.0$/, '');
  }

  private stackUrl(session: CloudSession, region: string, stack: StackRef): string {
    return `${this.heat(session, region)}/stacks/${pathSegment(stack.stack_name)}/${pathSegment(stack.id)}`;
  }

  private endpoint(session: CloudSession, types: string[], region: string): string {
    const url = findEndpoint(keystone(session).catalog, types, region);
    if (!url) throw new RemoteCallError('Keystone', 'catalog lookup', undefined, `no public ${types.join('/')} endpoint for region ${region} in the token's catalog`);
    return url;
  }

  private async call(
    session: CloudSession,
    system: RemoteSystem,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    data?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const s = keystone(session);
    for (let attempt = 1; ; attempt += 1) {
      const answer = await this.outbound.send<any>('cloud', {
        system,
        method,
        url,
        data,
        tls: s.tls,
        accept: ANY_STATUS,
        headers: { 'X-Auth-Token': s.token, Accept: 'application/json', ...headers },
      });
      if (answer.status !== 401 || attempt > 1) return answer;
      await s.refresh();
    }
  }

  private failure(system: RemoteSystem, method: string, url: string, answer: Answer): RemoteCallError {
    const data = answer.data;
    const raw =
      (data && typeof data === 'object' && (data.error?.message ?? data.explanation ?? data.message ?? data.NeutronError?.message ?? data.itemNotFound?.message)) ||
      (typeof data === 'string' ? data : undefined);
    const detail = typeof raw === 'string' ? this.redactor.line(raw).slice(0, 500) : undefined;
    return new RemoteCallError(system, `${method} ${url.split('?')[0]}`, answer.status, detail);
  }
}

function keystone(session: CloudSession): KeystoneSession {
  if (!(session instanceof KeystoneSession)) throw new Error('not a session of the Keystone adapter');
  return session;
}
