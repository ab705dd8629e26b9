import { VimInfo } from '../../domain/cloud-region';
import { CloudSession, OpenStackPort } from '../ports/openstack.port';
import { RemoteCallError } from '../ports/remote-call.error';

/**
 * A Keystone session under the `Project` header rules: the header as a project id,
 * else as a project name, else the region's default tenant from A&AI.
 */
export async function openCloudSession(
  openstack: OpenStackPort,
  vim: VimInfo,
  project?: string,
): Promise<CloudSession> {
  if (project) {
    for (const scope of [{ projectId: project }, { projectName: project }]) {
      try {
        return await openstack.authenticate(vim.access, scope);
      } catch (error) {
        if (!(error instanceof RemoteCallError && error.refused)) throw error;
      }
    }
  }
  return openstack.authenticate(vim.access, { projectName: vim.access.defaultTenant });
}
