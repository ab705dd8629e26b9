import { Agent as HttpsAgent } from 'node:https';

import { CloudSession } from '../../application/ports/openstack.port';
import { CloudProject } from '../../domain/tenant';
import { CatalogService } from './keystone-catalog';

/** A token, its catalog, and how to reach the cloud (its own TLS trust). */
export class KeystoneSession implements CloudSession {
  constructor(
    readonly project: CloudProject,
    readonly token: string,
    readonly version: 'v2.0' | 'v3',
    /** Where identity calls go: the Keystone the token came from. */
    readonly identityUrl: string,
    readonly catalog: CatalogService[],
    readonly expiresAt: number,
    readonly httpsAgent: HttpsAgent,
  ) {}
}
