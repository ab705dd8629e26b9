/** Swagger 2.0 paths of the Keystone front and service proxy (SPEC 8), for one API version. */
export function proxySwaggerPaths(region: string, regionParameters: object[]): Record<string, unknown> {
  const error = { description: 'Error', schema: { $ref: '#/definitions/Error' } };
  const token = { name: 'X-Auth-Token', in: 'header', required: true, type: 'string', description: "The caller's Keystone token" };
  const keystoneBody = { name: 'body', in: 'body', required: true, schema: { type: 'object' } };
  const version = (summary: string, status: string) => ({
    get: { summary, parameters: regionParameters, responses: { [status]: { description: 'Version document, links to the proxy' }, '404': error } },
  });
  return {
    [`${region}/identity`]: version("Keystone's versions", '300'),
    [`${region}/identity/v3`]: version('Keystone v3 version document', '200'),
    [`${region}/identity/v2.0`]: version('Keystone v2.0 version document', '200'),
    [`${region}/identity/v3/auth/tokens`]: {
      post: {
        summary: "Sign in with the caller's own v3 body at the region's Keystone; the catalog points at this proxy",
        parameters: [...regionParameters, keystoneBody],
        responses: {
          '201': { description: "Keystone's token body, catalog rewritten; X-Subject-Token is Keystone's token" },
          '400': error,
          '401': { description: "Keystone's own error, passed through" },
          '404': error,
          '502': error,
        },
      },
    },
    [`${region}/identity/v2.0/tokens`]: {
      post: {
        summary: 'Sign in with a v2.0 body (converted to v3 on a v3 Keystone), answered in the v2.0 shape',
        parameters: [...regionParameters, keystoneBody],
        responses: { '200': { description: 'v2.0 access, serviceCatalog rewritten' }, '400': error, '401': error, '404': error, '502': error },
      },
    },
    [`${region}/identity/v2.0/tenants`]: {
      get: {
        summary: "The caller's projects in the v2.0 shape",
        parameters: [...regionParameters, token],
        responses: { '200': { description: '{"tenants": [...], "tenants_links": []}' }, '401': error, '404': error, '502': error },
      },
    },
    [`${region}/{service-type}/{path}`]: {
      'x-methods': 'any',
      get: {
        summary:
          "Any method: forwarded to the region's catalog endpoint of that service type with the caller's token, query, headers " +
          "and body, streamed; URLs of real endpoints in the answer point at the proxy. Other …/identity/v3/{path} calls go to Keystone.",
        parameters: [
          ...regionParameters,
          { name: 'service-type', in: 'path', required: true, type: 'string', description: 'A catalog service type: compute, image, volumev3, network, …' },
          { name: 'path', in: 'path', required: true, type: 'string', description: "The service's own path (no `..`, no encoded `/`)" },
          token,
        ],
        responses: {
          default: { description: "The service's answer" },
          '400': error,
          '401': error,
          '404': error,
          '502': error,
        },
      },
    },
  };
}
