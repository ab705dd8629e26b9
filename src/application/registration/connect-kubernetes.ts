import { Injectable } from '@nestjs/common';

import { CloudExtraInfo, k8sApiCaCert, k8sApiServer, k8sApiToken, softwareVersion } from '../../domain/cloud-extra-info';
import { buildKubeconfig, isKubernetesPlatform, isPem } from '../../domain/kubeconfig';
import { VimId } from '../../domain/vim-id';
import { K8sConnectivityPort } from '../ports/k8s-connectivity.port';
import { LogPort } from '../ports/log.port';
import { Settings } from '../ports/settings.port';
import { Redactor } from '../jobs/redactor';

export type K8sOutcome =
  /** `verified`: the kubeconfig names the cluster's CA (else it skips TLS verification). */
  | { connected: true; verified: boolean }
  | { connected: false; reason: 'not-kubernetes' | 'no-credentials' }
  | { connected: false; reason: 'failed'; error: Error };

/**
 * SPEC 3.6: a StarlingX Kubernetes platform whose cloud-extra-info has k8s-apiserver
 * and k8s-apitoken is registered with the multicloud-k8s plugin. Its failure is
 * reported, never thrown: it does not fail the registration.
 */
@Injectable()
export class ConnectKubernetes {
  constructor(
    private readonly k8s: K8sConnectivityPort,
    private readonly settings: Settings,
    private readonly log: LogPort,
    private readonly redactor: Redactor = new Redactor(),
  ) {}

  async execute(vimId: VimId, info: CloudExtraInfo): Promise<K8sOutcome> {
    const version = softwareVersion(info);
    if (!isKubernetesPlatform(version, this.settings.k8sSoftwareVersions)) {
      this.log.info(`${vimId} is not a Kubernetes platform (software_version ${version ?? 'unknown'})`);
      return { connected: false, reason: 'not-kubernetes' };
    }
    const server = k8sApiServer(info);
    const token = k8sApiToken(info);
    if (!server || !token) {
      this.log.warn(
        `${vimId}: k8s-apiserver or k8s-apitoken missing from cloud-extra-info; ` +
          'its Kubernetes connectivity must be provisioned in other ways',
      );
      return { connected: false, reason: 'no-credentials' };
    }
    const ca = k8sApiCaCert(info);
    try {
      await this.k8s.register(vimId, buildKubeconfig(server, token, ca));
      this.log.info(`${vimId}: Kubernetes connectivity registered with multicloud-k8s`);
      return { connected: true, verified: isPem(ca) };
    } catch (error) {
      // The plugin's answer is quoted in the message: it must not carry the token back.
      this.redactor.add(token);
      const failure = new Error(this.redactor.text((error as Error).message));
      this.log.warn(`${vimId}: Kubernetes connectivity not registered: ${failure.message}`);
      return { connected: false, reason: 'failed', error: failure };
    }
  }
}
