import { proxySwaggerPaths } from './swagger-proxy';

/** Swagger 2.0 description of the registry and capacity_check APIs, per API version. */
export function swaggerDocument(version: 'v0' | 'v1'): Record<string, unknown> {
  const region = version === 'v0' ? '/{vimid}' : '/{cloud-owner}/{cloud-region-id}';
  const regionParameters =
    version === 'v0'
      ? [pathParameter('vimid', '{cloud-owner}_{cloud-region-id}', '^[0-9a-zA-Z-]+_[0-9a-zA-Z_-]+$')]
      : [
          pathParameter('cloud-owner', 'A&AI cloud-owner', '^[0-9a-zA-Z-]+$'),
          pathParameter('cloud-region-id', 'A&AI cloud-region-id', '^[0-9a-zA-Z_-]+$'),
        ];
  const registry = {
    post: {
      summary: 'Register the cloud region: discover its resources into A&AI (background job)',
      parameters: [
        ...regionParameters,
        projectHeader,
        {
          name: 'body',
          in: 'body',
          required: false,
          description:
            'Optional; JSON or form-encoded (defaultTenant=x), whatever the content type. A readable defaultTenant scopes the registration when no Project header does; a body that cannot be read is ignored',
          schema: { type: 'object', properties: { defaultTenant: { type: 'string' } } },
        },
      ],
      responses: { '202': { description: 'Registration job accepted' }, '400': errorResponse },
    },
    get: {
      summary: "Status of the region's latest registration or de-registration job",
      parameters: regionParameters,
      responses: {
        '200': { description: 'Job status', schema: { $ref: '#/definitions/JobStatus' } },
        '400': errorResponse,
        '404': errorResponse,
      },
    },
    delete: {
      summary: 'De-register the cloud region: remove what registration wrote (background job)',
      parameters: regionParameters,
      responses: { '204': { description: 'De-registration job accepted' }, '400': errorResponse },
    },
  };
  return {
    swagger: '2.0',
    info: {
      title:
        version === 'v0'
          ? 'Service NBI of MultiCloud plugin for OpenStack Starlingx'
          : 'Service NBI v1 of MultiCloud plugin for Starlingx',
      version: '1.0.0',
    },
    basePath: `/api/multicloud-starlingx/${version}/`,
    consumes: ['application/json'],
    produces: ['application/json'],
    paths: {
      [`${region}/registry`]: registry,
      [region]: registry,
      [`${region}/capacity_check`]: {
        post: {
          summary: 'Whether a demand fits the region, and its audited per-zone capacity',
          parameters: [
            ...regionParameters,
            projectHeader,
            { name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/CapacityDemand' } },
          ],
          responses: {
            '200': { description: 'Result', schema: { $ref: '#/definitions/CapacityCheck' } },
            '400': errorResponse,
            '404': errorResponse,
            '500': errorResponse,
          },
        },
      },
      ...proxySwaggerPaths(region, regionParameters),
    },
    definitions: {
      JobStatus: {
        type: 'object',
        required: ['status', 'code', 'state'],
        properties: {
          status: {
            description: 'While running: [1, "The registration is on progress"]; once ended: the final message',
          },
          code: { type: 'integer', description: '1 running, 0 success, 10 region not in A&AI, 11 failure, or the HTTP status of the remote call that failed' },
          state: { type: 'string', enum: ['in-progress', 'succeeded', 'failed'] },
          kind: { type: 'string', enum: ['register', 'unregister'] },
          startedAt: { type: 'string', format: 'date-time' },
          finishedAt: { type: 'string', format: 'date-time' },
          regions: { type: 'array', items: { type: 'string' } },
          counts: { type: 'object', additionalProperties: { type: 'integer' } },
          warnings: { type: 'array', items: { type: 'string' } },
        },
      },
      CapacityDemand: {
        type: 'object',
        required: ['vCPU', 'Memory', 'Storage'],
        description: 'Each a non-negative number or numeric string ("10"); fractions are truncated toward zero; other keys are ignored',
        properties: {
          vCPU: { type: 'number', minimum: 0 },
          Memory: { type: 'number', minimum: 0, description: 'MB' },
          Storage: { type: 'number', minimum: 0, description: 'GB' },
        },
      },
      CapacityCheck: {
        type: 'object',
        properties: {
          result: { type: 'boolean', description: 'the quota/limits rule, and, when some zone is fresh, one fresh zone fits' },
          AZs: { type: 'array', items: { $ref: '#/definitions/AZInfo' } },
          azCapacity: {
            type: 'string',
            enum: ['fresh', 'stale', 'unknown'],
            description: 'fresh: some zone has fresh figures; stale: all are stale; unknown: no audit data',
          },
        },
      },
      AZInfo: {
        type: 'object',
        properties: {
          'availability-zone-name': { type: 'string' },
          vCPUAvail: { type: 'number' },
          vCPUTotal: { type: 'number' },
          MemoryAvail: { type: 'number', description: 'GB' },
          MemoryTotal: { type: 'number', description: 'GB' },
          StorageAvail: { type: 'number', description: 'GB' },
          StorageTotal: { type: 'number', description: 'GB' },
          asOf: { type: 'string', format: 'date-time', description: 'end of the audit the figures come from' },
          stale: { type: 'boolean', description: 'the last audit failed, or none succeeded for 3 intervals' },
          fits: { type: 'boolean', description: 'one host of the zone has room for the whole demand at once (within max_unit)' },
        },
      },
      Error: {
        type: 'object',
        properties: { error: { type: 'string' }, result: { type: 'boolean' } },
      },
    },
  };
}

const errorResponse = { description: 'Error', schema: { $ref: '#/definitions/Error' } };

const projectHeader = {
  name: 'Project',
  in: 'header',
  required: false,
  type: 'string',
  description: 'Project id or name to scope the Keystone session to (default: the default-tenant in A&AI)',
};

function pathParameter(name: string, description: string, pattern: string) {
  return { name, in: 'path', required: true, type: 'string', description, pattern };
}
