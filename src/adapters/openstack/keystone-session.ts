import { SharedWork } from '../../application/jobs/call-scope';
import { CloudSession } from '../../application/ports/openstack.port';
import { CloudProject } from '../../domain/tenant';
import { TlsTrust } from '../outbound/http-transport';
import { CatalogService } from './keystone-catalog';

/** What one Keystone sign-in gives. */
export interface SignedIn {
  project: CloudProject;
  token: string;
  catalog: CatalogService[];
  expiresAt: number;
  /** The token's role names (v3 `token.roles`, v2.0 `access.user.roles`): what the listings can see. */
  roles: string[];
}

/**
 * A token, its catalog, and how to reach the cloud (its own TLS trust). It can sign
 * in again, in place, when Keystone no longer accepts the token (401) or its catalog
 * lacks a region it should have: every holder then uses the new token.
 */
export class KeystoneSession implements CloudSession {
  project: CloudProject;
  token: string;
  catalog: CatalogService[];
  expiresAt: number;
  roles: string[];
  /** Regions the current catalog was found to lack (a refresh per region, not a storm). */
  readonly missingRegions = new Set<string>();
  private refreshing?: SharedWork<void>;

  constructor(
    signedIn: SignedIn,
    readonly version: 'v2.0' | 'v3',
    /** Where identity calls go: the Keystone the token came from. */
    readonly identityUrl: string,
    readonly tls: TlsTrust,
    private readonly signIn: () => Promise<SignedIn>,
  ) {
    this.project = signedIn.project;
    this.token = signedIn.token;
    this.catalog = signedIn.catalog;
    this.expiresAt = signedIn.expiresAt;
    this.roles = signedIn.roles;
  }

  /** An admin token sees every project's flavors and images; another proves nothing about what it cannot see. */
  get isAdmin(): boolean {
    return this.roles.some((role) => role.toLowerCase() === 'admin');
  }

  /**
   * Signs in again; concurrent callers share one sign-in, which stops once every caller
   * waiting for it has stopped.
   */
  refresh(): Promise<void> {
    const shared = (this.refreshing ??= new SharedWork(async () => {
      try {
        Object.assign(this, await this.signIn());
        this.missingRegions.clear();
      } finally {
        if (this.refreshing === shared) this.refreshing = undefined;
      }
    }));
    return shared.join();
  }
}
