import { OpenStackDouble } from '../../../test/servers/openstack.server';
import { runWithSignal } from '../../application/jobs/call-scope';
import { CloudAccess } from '../../domain/cloud-region';
import { loadAppConfig } from '../../config/app.config';
import { OutboundHttp } from '../outbound/outbound-http';
import { memorySessionCache, sessionBytes } from './keystone-session-cache';
import { KeystoneAuth } from './keystone-auth';

describe('KeystoneAuth against the Keystone double', () => {
  let keystone: OpenStackDouble;
  let access: CloudAccess;

  beforeAll(async () => {
    keystone = new OpenStackDouble();
    await keystone.start();
    access = { serviceUrl: keystone.keystoneV3, userName: 'admin', password: 'os-secret-password', domain: 'Default', defaultTenant: 'admin', insecure: true } as CloudAccess;
  });
  afterAll(() => keystone.close());

  const auth = () => new KeystoneAuth(new OutboundHttp(loadAppConfig({ HTTP_RETRIES: '0', HTTP_TIMEOUT_MS: '2000' })), memorySessionCache());

  it('a job stopped while its token refresh fails leaves no unhandled rejection, and the next sign-in works', async () => {
    // Tokens that live 60 s are inside the renewal window: every authenticate refreshes.
    keystone.behaviour.tokenLifetimeMs = 60_000;
    const client = auth();
    await client.authenticate(access, { projectName: 'admin' });
    keystone.failNext('POST', /auth\/tokens$/, { status: 500, body: { error: { message: 'Keystone is down' } } });
    const seen: unknown[] = [];
    const listener = (reason: unknown) => seen.push(reason);
    process.on('unhandledRejection', listener);
    try {
      const job = new AbortController();
      job.abort(new Error('job stopped'));
      await expect(runWithSignal(job.signal, () => client.authenticate(access, { projectName: 'admin' }))).rejects.toThrow('job stopped');
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      process.off('unhandledRejection', listener);
    }
    expect(seen).toEqual([]);
    keystone.clearFaults();
    const session = await client.authenticate(access, { projectName: 'admin' });
    expect(session.project).toEqual({ id: expect.any(String), name: 'admin' });
  });

  it.each([
    ['v3', () => keystone.keystoneV3],
    ['v2.0', () => keystone.keystoneV2],
  ])("judges a %s token's lifetime from expires_at - issued_at, not from our clock", async (_version, url) => {
    keystone.behaviour.tokenLifetimeMs = 3600_000;
    // Keystone's clock is two hours behind: by ours its tokens "expired" an hour ago.
    keystone.behaviour.clockSkewMs = -7200_000;
    try {
      const client = auth();
      const v2Access = { ...access, serviceUrl: url() };
      const before = keystone.tokenRequests();
      await client.authenticate(v2Access, { projectName: 'admin' });
      await client.authenticate(v2Access, { projectName: 'admin' });
      expect(keystone.tokenRequests() - before).toBe(1);
    } finally {
      keystone.behaviour.clockSkewMs = 0;
    }
  });

  it('keeps its sessions within KEYSTONE_SESSION_CACHE_BYTES: reused while they fit, signed in again once pushed out', async () => {
    keystone.behaviour.tokenLifetimeMs = 3600_000;
    const outbound = new OutboundHttp(loadAppConfig({ HTTP_RETRIES: '0', HTTP_TIMEOUT_MS: '2000' }));
    const roomy = memorySessionCache();
    const roomyClient = new KeystoneAuth(outbound, roomy);
    const before = keystone.tokenRequests();
    const session = await roomyClient.authenticate(access, { projectName: 'admin' });
    expect(await roomyClient.authenticate(access, { projectName: 'admin' })).toBe(session);
    expect(keystone.tokenRequests() - before).toBe(1);
    const oneSession = sessionBytes(session);
    expect(roomy.heldBytes()).toBe(oneSession);

    // Room for one session: two scopes in turn push each other out.
    const tight = memorySessionCache(oneSession + 64);
    const tightClient = new KeystoneAuth(outbound, tight);
    const start = keystone.tokenRequests();
    for (let i = 0; i < 3; i++) {
      await tightClient.authenticate(access, { projectName: 'admin' });
      await tightClient.authenticate(access, { projectName: 'demo' });
    }
    expect(keystone.tokenRequests() - start).toBe(6);
    expect(tight.heldBytes()).toBeLessThanOrEqual(oneSession + 64);
  });

  it('stops a shared sign-in once every caller waiting for it has stopped', async () => {
    keystone.behaviour.tokenLifetimeMs = 3600_000;
    keystone.failNext('POST', /auth\/tokens$/, 'hang', 5);
    const client = new KeystoneAuth(new OutboundHttp(loadAppConfig({ HTTP_RETRIES: '2', HTTP_RETRY_BASE_MS: '1', HTTP_TIMEOUT_MS: '300' })), memorySessionCache());
    const before = keystone.tokenRequests();
    const jobs = [new AbortController(), new AbortController()];
    const waits = jobs.map((job) => runWithSignal(job.signal, () => client.authenticate(access, { projectName: 'demo' })));
    await new Promise((resolve) => setTimeout(resolve, 50));
    jobs[0].abort(new Error('first stopped'));
    await expect(waits[0]).rejects.toThrow('first stopped');
    jobs[1].abort(new Error('second stopped'));
    await expect(waits[1]).rejects.toThrow('second stopped');
    // A sign-in nobody waits for would time out after 300 ms and be tried again.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(keystone.tokenRequests() - before).toBe(1);
    keystone.clearFaults();
  });

  it('remembers a scope Keystone refused for a while: asked again, no second sign-in', async () => {
    const client = new KeystoneAuth(new OutboundHttp(loadAppConfig({ HTTP_RETRIES: '0', HTTP_TIMEOUT_MS: '2000' })), memorySessionCache(), undefined, { count: 10, ttlMs: 300 });
    const signIns = () => keystone.count('POST', /auth\/tokens$/);
    const before = signIns();
    await expect(client.authenticate(access, { projectName: 'no-such-project' })).rejects.toMatchObject({ refused: true });
    await expect(client.authenticate(access, { projectName: 'no-such-project' })).rejects.toMatchObject({ refused: true });
    expect(signIns() - before).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 350));
    await expect(client.authenticate(access, { projectName: 'no-such-project' })).rejects.toMatchObject({ refused: true });
    expect(signIns() - before).toBe(2);
  });
});
