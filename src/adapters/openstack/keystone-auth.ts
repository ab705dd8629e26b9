import { createHash } from 'node:crypto';
import { Agent as HttpsAgent } from 'node:https';

import { detached, untilAborted } from '../../application/jobs/call-scope';
import { ProjectScope } from '../../application/ports/openstack.port';
import { CloudAccess } from '../../domain/cloud-region';
import { OutboundHttp } from '../outbound/outbound-http';
import { normalizeCatalog } from './keystone-catalog';
import { KeystoneSession, SignedIn } from './keystone-session';

/** A token is reused until this close to its expiry. */
const RENEW_BEFORE_MS = 120_000;
const DEFAULT_LIFETIME_MS = 3600_000;

/**
 * Keystone v3 and v2.0 password sign-in. Tokens are reused per (cloud, user, scope)
 * until near expiry, and concurrent sign-ins for the same key share one request.
 * Tokens and passwords stay in memory only.
 */
export class KeystoneAuth {
  private readonly sessions = new Map<string, KeystoneSession>();
  private readonly pending = new Map<string, Promise<KeystoneSession>>();
  private readonly agents = new Map<string, HttpsAgent>();
  private lastSweep = 0;

  constructor(private readonly outbound: OutboundHttp) {}

  /** Each caller waits under its own signal; the shared sign-in runs under none. */
  async authenticate(access: CloudAccess, scope: ProjectScope): Promise<KeystoneSession> {
    this.forgetExpired();
    const key = cacheKey(access, scope);
    const cached = this.sessions.get(key);
    if (cached) {
      if (cached.expiresAt - RENEW_BEFORE_MS <= Date.now()) await untilAborted(cached.refresh());
      return cached;
    }
    let request = this.pending.get(key);
    if (!request) {
      request = detached(() => this.signIn(access, scope))
        .then((session) => {
          this.sessions.set(key, session);
          return session;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, request);
    }
    return untilAborted(request);
  }

  /** Sessions of regions no longer used go when their token expires. */
  private forgetExpired(): void {
    const now = Date.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, session] of this.sessions) {
      if (session.expiresAt <= now) this.sessions.delete(key);
    }
  }

  private async signIn(access: CloudAccess, scope: ProjectScope): Promise<KeystoneSession> {
    const httpsAgent = this.agentFor(access);
    const v2 = access.serviceUrl.includes('/v2');
    const identityUrl = v2 ? access.serviceUrl.replace(/\/+$/, '') : withV3(access.serviceUrl);
    const signIn = () =>
      v2 ? this.signInV2(identityUrl, access, scope, httpsAgent) : this.signInV3(identityUrl, access, scope, httpsAgent);
    return new KeystoneSession(await signIn(), v2 ? 'v2.0' : 'v3', identityUrl, httpsAgent, signIn);
  }

  private async signInV3(identityUrl: string, access: CloudAccess, scope: ProjectScope, httpsAgent: HttpsAgent): Promise<SignedIn> {
    const project =
      'projectId' in scope
        ? { id: scope.projectId }
        : scope.projectName
          ? { name: scope.projectName, domain: { name: access.domain } }
          : undefined;
    const response = await this.outbound.send<any>('cloud', {
      system: 'Keystone',
      method: 'POST',
      url: `${identityUrl}/auth/tokens`,
      httpsAgent,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      data: {
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: access.userName, password: access.password, domain: { name: access.domain } } },
          },
          ...(project ? { scope: { project } } : {}),
        },
      },
    });
    const token = response.data?.token ?? {};
    return {
      project: { id: String(token.project?.id ?? ''), name: String(token.project?.name ?? '') },
      token: response.headers['x-subject-token'] ?? '',
      catalog: normalizeCatalog(token.catalog, 'v3'),
      expiresAt: expiry(token.expires_at),
    };
  }

  private async signInV2(identityUrl: string, access: CloudAccess, scope: ProjectScope, httpsAgent: HttpsAgent): Promise<SignedIn> {
    const tenant = 'projectId' in scope ? { tenantId: scope.projectId } : { tenantName: scope.projectName };
    const response = await this.outbound.send<any>('cloud', {
      system: 'Keystone',
      method: 'POST',
      url: `${identityUrl}/tokens`,
      httpsAgent,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      data: { auth: { passwordCredentials: { username: access.userName, password: access.password }, ...tenant } },
    });
    const accessBody = response.data?.access ?? {};
    const token = accessBody.token ?? {};
    return {
      project: { id: String(token.tenant?.id ?? ''), name: String(token.tenant?.name ?? '') },
      token: String(token.id ?? ''),
      catalog: normalizeCatalog(accessBody.serviceCatalog, 'v2.0'),
      expiresAt: expiry(token.expires),
    };
  }

  /** A cloud's TLS trust: its ssl-cacert, or no verification when ssl-insecure. */
  private agentFor(access: CloudAccess): HttpsAgent {
    const ca = access.caCert?.includes('-----BEGIN') ? access.caCert : undefined;
    const key = `${access.insecure}|${ca ?? ''}`;
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new HttpsAgent({ keepAlive: true, maxSockets: 256, rejectUnauthorized: !access.insecure, ca });
      this.agents.set(key, agent);
    }
    return agent;
  }
}

function withV3(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return /\/v3$/.test(trimmed) ? trimmed : `${trimmed}/v3`;
}

function expiry(value: unknown): number {
  const at = typeof value === 'string' ? Date.parse(value.endsWith('Z') || /[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`) : NaN;
  return Number.isFinite(at) ? at : Date.now() + DEFAULT_LIFETIME_MS;
}

/** Identifies a sign-in without keeping the password readable. */
function cacheKey(access: CloudAccess, scope: ProjectScope): string {
  return createHash('sha256')
    .update(
      JSON.stringify([access.serviceUrl, access.userName, access.domain, access.password, access.caCert ?? '', access.insecure, scope]),
    )
    .digest('hex');
}
