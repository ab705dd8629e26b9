import { PassThrough } from 'node:stream';

import { VimId } from '../domain/vim-id';
import { KeystoneFront } from './keystone-front';
import { CloudProxyPort, ProxyAnswer, ProxyCall } from './ports/cloud-proxy.port';
import { RequestLimits } from './ports/request-limits.port';
import { ProxyRegion, ProxyRegions } from './proxy/proxy-region';
import { ProxyServiceCall } from './proxy-service-call';

const REAL = 'http://cloud:8774/v2.1/p';
const region: ProxyRegion = {
  vimId: VimId.of('Owner', 'R'),
  keystoneUrl: 'http://cloud:5000/v3',
  keystoneVersion: 'v3',
  domain: 'Default',
  openstackRegion: 'R',
  tls: { insecure: false },
  proxyBase: 'http://msb/api/multicloud-starlingx/v1/Owner/R',
};

/** The cloud: each call answers a JSON body the test writes and ends itself. */
class StreamingCloud extends CloudProxyPort {
  readonly bodies: PassThrough[] = [];
  async send(_call: ProxyCall): Promise<ProxyAnswer> {
    const body = new PassThrough();
    this.bodies.push(body);
    return { status: 200, headers: { 'content-type': 'application/json' }, body };
  }
}

describe('ProxyServiceCall rewrites', () => {
  it('reads at most PROXY_REWRITE_CONCURRENCY answers whole at once; the others wait, unread', async () => {
    const cloud = new StreamingCloud();
    const regions = { resolve: async () => region } as unknown as ProxyRegions;
    const keystone = { catalogFor: async () => [{ type: 'compute', interface: 'public', region: 'R', url: REAL }] } as unknown as KeystoneFront;
    const limits: RequestLimits = { rewriteMaxBytes: 1024, rewriteConcurrency: 1, planTimeoutMs: 1000 };
    const proxy = new ProxyServiceCall(regions, keystone, cloud, limits);
    const call = () =>
      proxy.execute({ vimId: region.vimId, apiVersion: 'v1', serviceType: 'compute', path: 'servers', query: '', method: 'GET', headers: { 'x-auth-token': 't' } });
    const first = call();
    const second = call();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cloud.bodies).toHaveLength(2);
    // The second answer is not read while the first holds the only slot.
    cloud.bodies[1].end(JSON.stringify({ href: `${REAL}/servers/2` }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cloud.bodies[1].readableLength).toBeGreaterThan(0);
    cloud.bodies[0].end(JSON.stringify({ href: `${REAL}/servers/1` }));
    const answers = await Promise.all([first, second]);
    expect(answers.map((answer) => JSON.parse(String(answer.body)))).toEqual([
      { href: `${region.proxyBase}/compute/servers/1` },
      { href: `${region.proxyBase}/compute/servers/2` },
    ]);
  });
});
