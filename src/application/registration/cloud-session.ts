import { VimInfo } from '../../domain/cloud-region';
import { CloudSession, OpenStackPort } from '../ports/openstack.port';
import { RemoteCallError } from '../ports/remote-call.error';

/** A session, and when it fell back from the requested `Project` to the default tenant, why that proves less. */
export interface ScopedSession {
  session: CloudSession;
  /** Set when the scope asked for was refused: listings through it prove nothing about that scope's objects. */
  fallback?: string;
}

/**
 * A Keystone session under the `Project` header rules: the header as a project id,
 * else as a project name, else the region's default tenant from A&AI.
 */
export async function openCloudSession(openstack: OpenStackPort, vim: VimInfo, project?: string): Promise<CloudSession> {
  return (await openScopedSession(openstack, vim, project)).session;
}

/** As openCloudSession, saying whether the session fell back to another scope than the one asked for (SPEC 7, proof before delete). */
export async function openScopedSession(openstack: OpenStackPort, vim: VimInfo, project?: string): Promise<ScopedSession> {
  if (project) {
    for (const scope of [{ projectId: project }, { projectName: project }]) {
      try {
        return { session: await openstack.authenticate(vim.access, scope) };
      } catch (error) {
        if (!(error instanceof RemoteCallError && error.refused)) throw error;
      }
    }
  }
  const session = await openstack.authenticate(vim.access, { projectName: vim.access.defaultTenant });
  return project ? { session, fallback: `the session fell back from project ${project} to ${vim.access.defaultTenant}` } : { session };
}
