import fc from 'fast-check';

import { FuzzRequest, METHODS, hostileBody, hostileHeaders, hostileQuery, hostileSegment } from './inputs';

export const PREFIX = '/api/multicloud-starlingx';
/** The region the suite registers before it starts (in the A&AI and cloud doubles). */
export const OWNER = 'CloudOwner';
export const REGION = 'RegionOne';

/** What a route entry may use of the running suite: a token the cloud double accepts. */
export interface FuzzContext {
  token: string;
}

/**
 * One row per route: its name and the requests to throw at it. A new route (such as
 * infra_workload) is one more row. `region` builds `v0/{vimid}` or `v1/{owner}/{region}`
 * paths, mostly with hostile names, sometimes with the registered region.
 */
export interface FuzzRoute {
  name: string;
  requests: (context: FuzzContext) => fc.Arbitrary<FuzzRequest>;
}

/** `v0/{vimid}` or `v1/{owner}/{region}`: the registered region 1 time in `realOneIn`, else hostile names. */
export function region(realOneIn = 4): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(`v1/${OWNER}/${REGION}`, `v0/${OWNER}_${REGION}`) },
    {
      weight: realOneIn - 1,
      arbitrary: fc.oneof(
        hostileSegment.map((vimid) => `v0/${vimid}`),
        fc.tuple(hostileSegment, hostileSegment).map(([owner, id]) => `v1/${owner}/${id}`),
        fc.constantFrom('v2/a/b', 'v1', 'v0', 'v1/a', 'v1//', 'v0/_'),
      ),
    },
  );
}

function requestTo(methods: fc.Arbitrary<string>, path: fc.Arbitrary<string>, options: { token?: string; body?: boolean } = {}): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      method: methods,
      path,
      query: hostileQuery,
      headers: hostileHeaders,
      withToken: fc.boolean(),
      body: options.body === false ? fc.constant(undefined) : hostileBody,
    })
    .map(({ method, path: at, query, headers, withToken, body }) => ({
      method,
      path: `${PREFIX}/${at}${query}`,
      headers: options.token && withToken ? { ...headers, 'x-auth-token': options.token } : headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : body,
    }));
}

const anyMethod = fc.constantFrom(...METHODS);
const suffix = fc.constantFrom('', '/', '//', '/registry', '/registry/');

export const FUZZ_ROUTES: FuzzRoute[] = [
  {
    name: 'registry POST',
    requests: () =>
      requestTo(
        fc.constant('POST'),
        fc.tuple(region(50), suffix).map(([r, s]) => r + s),
      ),
  },
  {
    name: 'registry GET',
    requests: () =>
      requestTo(
        fc.constant('GET'),
        fc.tuple(region(), suffix).map(([r, s]) => r + s),
      ),
  },
  {
    name: 'registry plan GET',
    requests: () =>
      requestTo(
        fc.constant('GET'),
        region(20).map((r) => `${r}/registry/plan`),
      ),
  },
  {
    name: 'capacity_check POST',
    requests: () =>
      requestTo(
        fc.constant('POST'),
        region(2).map((r) => `${r}/capacity_check`),
      ),
  },
  {
    name: 'identity (Keystone front)',
    requests: ({ token }) =>
      requestTo(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD'),
        fc
          .tuple(
            region(2),
            fc.constantFrom('', '/v3', '/v2.0', '/v3/auth/tokens', '/v2.0/tokens', '/v2.0/tenants', '/v3/projects', '/v3/auth/catalog', '/v3/users/x', '/v4', '/v3/../v2.0'),
          )
          .map(([r, p]) => `${r}/identity${p}`),
        { token },
      ),
  },
  {
    name: 'service proxy',
    requests: ({ token }) =>
      requestTo(
        anyMethod,
        fc
          .tuple(region(2), fc.constantFrom('compute', 'image', 'volumev3', 'network', 'platform', 'nope', 'identity'), fc.array(hostileSegment, { maxLength: 4 }))
          .map(([r, service, rest]) => `${r}/${service}/${rest.join('/')}`),
        { token },
      ),
  },
  {
    name: 'infra_workload (SO)',
    requests: () =>
      requestTo(
        fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'HEAD'),
        fc
          .tuple(
            region(2),
            fc.oneof(
              fc.constant(''),
              fc.constant('/'),
              hostileSegment.map((id) => `/${id}`),
              fc.constantFrom('?name=vf-1', '?id=x', '/stack-1/'),
            ),
          )
          .map(([r, rest]) => `${r}/infra_workload${rest}`),
      ),
  },
  {
    name: 'any method, any path',
    requests: () =>
      requestTo(
        anyMethod,
        fc.tuple(region(), fc.array(hostileSegment, { maxLength: 5 })).map(([r, rest]) => `${r}/${rest.join('/')}`),
      ),
  },
  // Last: it may start de-registrations of the registered region.
  {
    name: 'registry DELETE',
    requests: () =>
      requestTo(
        fc.constant('DELETE'),
        fc.tuple(region(50), suffix).map(([r, s]) => r + s),
      ),
  },
];
