import { INestApplication, Injectable } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, PathItemObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

import { API_PREFIX } from './region-ref.decorator';

export type ApiVersionName = 'v0' | 'v1';

const TITLES: Record<ApiVersionName, string> = {
  v0: 'Service NBI of MultiCloud plugin for OpenStack Starlingx',
  v1: 'Service NBI v1 of MultiCloud plugin for Starlingx',
};

/** The methods an OpenAPI 3.0 path item can hold (Nest's `@All` adds `search`, which it cannot). */
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The OpenAPI documents served at `…/v0/swagger.json` and `…/v1/swagger.json`, built by
 * @nestjs/swagger from the controllers' routes and decorators, so they follow the code.
 * Nest gives no provider the application, so `configureHttpApp` calls `describeApi(app)`.
 */
@Injectable()
export class ApiDocuments {
  private documents?: Record<ApiVersionName, OpenAPIObject>;

  build(app: INestApplication): void {
    const whole = SwaggerModule.createDocument(app, new DocumentBuilder().setVersion('1.0.0').build());
    this.documents = { v0: versionDocument(whole, 'v0'), v1: versionDocument(whole, 'v1') };
  }

  get(version: ApiVersionName): OpenAPIObject {
    if (!this.documents) throw new Error('the API documents were not built: configureHttpApp(app) builds them');
    return this.documents[version];
  }
}

/** Builds the API documents from the app's controllers; once, after creating the app. */
export function describeApi(app: INestApplication): void {
  app.get(ApiDocuments).build(app);
}

/** The paths under one version's prefix, relative to it, each with its own operation ids. */
function versionDocument(whole: OpenAPIObject, version: ApiVersionName): OpenAPIObject {
  const prefix = `/${API_PREFIX}/${version}`;
  const paths = Object.fromEntries(
    Object.entries(whole.paths)
      .filter(([path]) => path.startsWith(`${prefix}/`))
      .map(([path, item]) => [path.slice(prefix.length), ownOperations(path.slice(prefix.length), item)]),
  );
  return { ...whole, info: { ...whole.info, title: TITLES[version] }, servers: [{ url: prefix }], paths };
}

/**
 * One handler serves v0 `{vimid}` and v1 `{owner}/{region}` paths (and the proxy's with
 * and without `{path}`), so its operation declares every path parameter of them all: each
 * path keeps those its template names. Operation ids, shared by a handler's paths, are
 * made unique by the method and path.
 */
function ownOperations(path: string, item: PathItemObject): PathItemObject {
  const named = new Set([...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]));
  const result: PathItemObject = {};
  for (const method of METHODS) {
    const operation: OperationObject | undefined = item[method];
    if (!operation) continue;
    const parameters = ((operation.parameters ?? []) as ParameterObject[]).filter((p) => p.in !== 'path' || named.has(p.name));
    result[method] = { ...operation, operationId: `${method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, '_')}`, parameters };
  }
  return result;
}
