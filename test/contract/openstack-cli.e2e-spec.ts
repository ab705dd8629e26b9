import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

import { startProxyApp } from '../support/proxy';
import { PREFIX, onboardRegion } from '../support/regions';
import { resetStore } from '../support/redis';
import { Doubles, TestApp, startDoubles, stopDoubles } from '../support/start-app';

/** Debian's python3-openstackclient; `.ci/run` installs it when absent. */
const OPENSTACK = (process.env.PATH ?? '')
  .split(delimiter)
  .map((dir) => join(dir, 'openstack'))
  .find((path) => existsSync(path));
const describeWithCli = OPENSTACK ? describe : describe.skip;
if (!OPENSTACK) {
  process.stderr.write('SKIPPED openstack-cli.e2e-spec: no `openstack` CLI on PATH (apt-get install -y python3-openstackclient; .ci/run does)\n');
}

/**
 * A keystoneauth client unchanged against the proxy (SPEC 8): the standard `openstack`
 * CLI signs in at the identity-url's v3 sibling and lists flavors and images through
 * the catalog the proxy handed it.
 */
describeWithCli('the openstack CLI through the proxy', () => {
  let doubles: Doubles;
  let service: TestApp;
  let authUrl: string;

  beforeAll(async () => {
    await resetStore();
    doubles = await startDoubles();
    let base: string;
    ({ service, base } = await startProxyApp(doubles));
    onboardRegion(doubles.aai, doubles.openstack, { owner: 'CloudOwner', region: 'RegionOne' });
    authUrl = `${base}${PREFIX}/v1/CloudOwner/RegionOne/identity/v3`;
  });

  afterAll(async () => {
    await service?.close();
    await stopDoubles(doubles);
  });

  function openstack(...args: string[]): Promise<unknown> {
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OS_') && !/_proxy$/i.test(key)));
    const auth = [
      '--os-auth-url',
      authUrl,
      '--os-identity-api-version',
      '3',
      '--os-username',
      'admin',
      '--os-password',
      'os-secret-password',
      '--os-user-domain-name',
      'Default',
      '--os-project-name',
      'admin',
      '--os-project-domain-name',
      'Default',
      '--os-region-name',
      'RegionOne',
      '--os-interface',
      'public',
    ];
    return new Promise((resolve, reject) => {
      execFile(OPENSTACK!, [...auth, ...args, '-f', 'json'], { env: { ...env, HOME: '/tmp' }, timeout: 60_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`openstack ${args.join(' ')} failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout));
      });
    });
  }

  it('lists flavors and images through the proxy, every call on the doubles made with the token it got', async () => {
    const before = doubles.openstack.requests.length;
    const flavors = (await openstack('flavor', 'list', '--all')) as Array<Record<string, unknown>>;
    const region = doubles.openstack.region('RegionOne');
    expect(flavors.map((f) => f.ID).sort()).toEqual(region.flavors.map((f) => f.id).sort());
    expect(flavors.find((f) => f.ID === '1')).toEqual(expect.objectContaining({ Name: 'm1.tiny', RAM: 512, Disk: 1, VCPUs: 1 }));

    const images = (await openstack('image', 'list')) as Array<Record<string, unknown>>;
    expect(images.map((i) => i.ID).sort()).toEqual(region.images.map((i) => i.id).sort());

    const seen = doubles.openstack.requests.slice(before);
    expect(seen.filter((r) => r.method === 'POST' && r.path === '/identity/v3/auth/tokens')).toHaveLength(2);
    expect(seen.some((r) => r.path.startsWith('/RegionOne/compute/') && r.path.endsWith('/flavors/detail'))).toBe(true);
    expect(seen.some((r) => r.path === '/RegionOne/image/v2/images')).toBe(true);
  });
});
