import { INestApplication, Injectable } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ParameterObject, PathItemObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

export type ApiVersionName = 'v0' | 'v1';

const TITLES: Record<ApiVersionName, string> = {
  v0: 'Service NBI of MultiCloud plugin for OpenStack Starlingx',
  v1: 'Service NBI v1 of MultiCloud plugin for Starlingx',
};

/**
 * The OpenAPI documents served at `…/v0/swagger.json` and `…/v1/swagger.json`, built by
 * @nestjs/swagger from the controllers' routes and decorators, so they follow the code.
 * Nest gives no provider the application, so each entry point calls `describeApi(app)`.
 */
@Injectable()
export class ApiDocuments {
  private documents?: Record<ApiVersionName, OpenAPIObject>;

  build(app: INestApplication): void {
    const base = new DocumentBuilder().setVersion('1.0.0').build();
    const whole = SwaggerModule.createDocument(app, base);
    const of = (version: ApiVersionName): OpenAPIObject => {
      const prefix = `/api/multicloud-starlingx/${version}`;
      const paths = Object.fromEntries(
        Object.entries(whole.paths)
          .filter(([path]) => path.startsWith(`${prefix}/`))
          .map(([path, item]) => [path.slice(prefix.length), withOwnPathParameters(path, item)]),
      );
      return { ...whole, info: { ...whole.info, title: TITLES[version] }, servers: [{ url: `${prefix}/` }], paths };
    };
    this.documents = { v0: of('v0'), v1: of('v1') };
  }

  get(version: ApiVersionName): OpenAPIObject {
    if (!this.documents) throw new Error('the API documents were not built: the entry point must call describeApi(app)');
    return this.documents[version];
  }
}

/**
 * One handler serves v0 `{vimid}` and v1 `{owner}/{region}` paths, so its operation
 * declares all three; each path keeps those its template names.
 */
function withOwnPathParameters(path: string, item: PathItemObject): PathItemObject {
  const named = new Set([...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]));
  const result: Record<string, unknown> = { ...item };
  for (const method of ['get', 'post', 'put', 'delete'] as const) {
    const operation = item[method];
    if (!operation) continue;
    const parameters = (operation.parameters ?? []) as ParameterObject[];
    result[method] = { ...operation, parameters: parameters.filter((p) => p.in !== 'path' || named.has(p.name)) };
  }
  return result as PathItemObject;
}

/** Builds the API documents from the app's controllers; call once after creating the app. */
export function describeApi(app: INestApplication): void {
  app.get(ApiDocuments).build(app);
}
