import { createHash } from 'node:crypto';

import { SharedWork } from '../../application/jobs/call-scope';
import { ProjectScope } from '../../application/ports/openstack.port';
import { RemoteCallError } from '../../application/ports/remote-call.error';
import { Redactor } from '../../application/jobs/redactor';
import { RefusedScopeLimits } from '../../config/limits.config';
import { CloudAccess } from '../../domain/cloud-region';
import { TlsTrust } from '../outbound/http-transport';
import { OutboundHttp } from '../outbound/outbound-http';
import { AnswerShape } from '../outbound/answer-shape';
import { KeystoneSessionCache } from './keystone-session-cache';
import { normalizeCatalog } from './keystone-catalog';
import { KeystoneSession, SignedIn } from './keystone-session';
import { withoutTrailingSlashes } from '../../domain/path-segment';

/** A token is reused until this close to its expiry. */
const RENEW_BEFORE_MS = 120_000;
const DEFAULT_LIFETIME_MS = 3600_000;

/**
 * Keystone v3 and v2.0 password sign-in. Tokens are reused per (cloud, user, scope)
 * until near expiry (in a session cache bounded by bytes), and concurrent sign-ins for
 * the same key share one request. Tokens and passwords stay in memory only.
 */
export class KeystoneAuth {
  /** Sign-ins in flight (one per key); they leave when they end. */
  private readonly pending = new Map<string, SharedWork<KeystoneSession>>();
  /**
   * Sign-ins Keystone refused (a 4xx: an unknown `Project` scope…), answered again
   * without a call for a short while: a caller repeating an unknown scope costs no
   * password sign-in each time. Oldest first; bounded.
   */
  private readonly refused = new Map<string, { until: number; error: RemoteCallError }>();

  constructor(
    private readonly outbound: OutboundHttp,
    private readonly sessions: KeystoneSessionCache,
    private readonly redactor: Redactor = new Redactor(),
    private readonly refusedLimits: RefusedScopeLimits = { count: 1000, ttlMs: 60_000 },
  ) {}

  /** Each caller waits under its own signal; the shared sign-in stops once all of them have. */
  async authenticate(access: CloudAccess, scope: ProjectScope): Promise<KeystoneSession> {
    const key = cacheKey(access, scope);
    const refusal = this.refused.get(key);
    if (refusal && refusal.until > Date.now()) throw refusal.error;
    if (refusal) this.refused.delete(key);
    const cached = await this.sessions.get(key);
    if (cached && cached.expiresAt > Date.now()) {
      if (cached.expiresAt - RENEW_BEFORE_MS <= Date.now()) {
        await cached.refresh();
        await this.sessions.set(key, cached);
      }
      return cached;
    }
    let request = this.pending.get(key);
    if (!request) {
      const shared = new SharedWork(async () => {
        try {
          const session = await this.signIn(access, scope);
          await this.sessions.set(key, session);
          return session;
        } catch (error) {
          if (error instanceof RemoteCallError && error.refused) this.rememberRefusal(key, error);
          throw error;
        } finally {
          this.pending.delete(key);
        }
      });
      this.pending.set(key, shared);
      request = shared;
    }
    return request.join();
  }

  private rememberRefusal(key: string, error: RemoteCallError): void {
    if (this.refusedLimits.count === 0 || this.refusedLimits.ttlMs === 0) return;
    this.refused.delete(key);
    this.refused.set(key, { until: Date.now() + this.refusedLimits.ttlMs, error });
    while (this.refused.size > this.refusedLimits.count) this.refused.delete(this.refused.keys().next().value!);
  }

  private async signIn(access: CloudAccess, scope: ProjectScope): Promise<KeystoneSession> {
    const tls = trustOf(access);
    const v2 = access.serviceUrl.includes('/v2');
    const identityUrl = v2 ? withoutTrailingSlashes(access.serviceUrl) : withV3(access.serviceUrl);
    this.redactor.add(access.password);
    const signIn = async () => {
      const signedIn = await (v2 ? this.signInV2(identityUrl, access, scope, tls) : this.signInV3(identityUrl, access, scope, tls));
      // The token is a credential: masked wherever it shows up.
      this.redactor.addToken(signedIn.token);
      return signedIn;
    };
    return new KeystoneSession(await signIn(), v2 ? 'v2.0' : 'v3', identityUrl, tls, signIn);
  }

  private async signInV3(identityUrl: string, access: CloudAccess, scope: ProjectScope, tls: TlsTrust): Promise<SignedIn> {
    const project = 'projectId' in scope ? { id: scope.projectId } : scope.projectName ? { name: scope.projectName, domain: { name: access.domain } } : undefined;
    const response = await this.outbound.send<any>('cloud', {
      system: 'Keystone',
      method: 'POST',
      url: `${identityUrl}/auth/tokens`,
      tls,
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
    const shape = AnswerShape.of('Keystone', `${identityUrl}/auth/tokens`, response.data, 'POST');
    const token: any = shape.object('token');
    if (!response.headers['x-subject-token']) throw shape.error('no X-Subject-Token header');
    return {
      project: { id: String(token.project?.id ?? ''), name: String(token.project?.name ?? '') },
      token: response.headers['x-subject-token'] ?? '',
      catalog: normalizeCatalog(token.catalog, 'v3'),
      expiresAt: expiry(token.issued_at, token.expires_at),
      roles: roleNames(token.roles),
    };
  }

  private async signInV2(identityUrl: string, access: CloudAccess, scope: ProjectScope, tls: TlsTrust): Promise<SignedIn> {
    const tenant = 'projectId' in scope ? { tenantId: scope.projectId } : { tenantName: scope.projectName };
    const response = await this.outbound.send<any>('cloud', {
      system: 'Keystone',
      method: 'POST',
      url: `${identityUrl}/tokens`,
      tls,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      data: { auth: { passwordCredentials: { username: access.userName, password: access.password }, ...tenant } },
    });
    const shape = AnswerShape.of('Keystone', `${identityUrl}/tokens`, response.data, 'POST');
    const accessBody: any = shape.object('access');
    const token: any = shape.object('token', accessBody);
    if (typeof token.id !== 'string' || !token.id) throw shape.error('access.token has no id');
    return {
      project: { id: String(token.tenant?.id ?? ''), name: String(token.tenant?.name ?? '') },
      token: String(token.id ?? ''),
      catalog: normalizeCatalog(accessBody.serviceCatalog, 'v2.0'),
      expiresAt: expiry(token.issued_at, token.expires),
      roles: roleNames(accessBody.user?.roles),
    };
  }
}

/** A cloud's TLS trust: its ssl-cacert, or no verification when ssl-insecure. */
function trustOf(access: CloudAccess): TlsTrust {
  return { insecure: access.insecure, ca: access.caCert?.includes('-----BEGIN') ? access.caCert : undefined };
}

/** Role names of a token body's role list (`[{id, name}]`); anything else is no role. */
function roleNames(roles: unknown): string[] {
  return Array.isArray(roles) ? roles.map((role: any) => role?.name).filter((name): name is string => typeof name === 'string') : [];
}

function withV3(url: string): string {
  const trimmed = withoutTrailingSlashes(url);
  return /\/v3$/.test(trimmed) ? trimmed : `${trimmed}/v3`;
}

/**
 * When a token expires by our clock: its lifetime as Keystone states it (expires minus
 * issued, both Keystone's clock) from now, so a cloud whose clock differs from ours
 * neither renews on every call nor keeps a dead token.
 */
function expiry(issued: unknown, expires: unknown): number {
  const lifetime = timeOf(expires) - timeOf(issued);
  return Date.now() + (Number.isFinite(lifetime) && lifetime > 0 ? lifetime : DEFAULT_LIFETIME_MS);
}

function timeOf(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value.endsWith('Z') || /[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`) : NaN;
}

/** Identifies a sign-in without keeping the password readable. */
function cacheKey(access: CloudAccess, scope: ProjectScope): string {
  return createHash('sha256')
    .update(JSON.stringify([access.serviceUrl, access.userName, access.domain, access.password, access.caCert ?? '', access.insecure, scope]))
    .digest('hex');
}
