import { Injectable } from '@nestjs/common';

import { CloudExtraInfo, k8sApiCaCert, k8sApiServer, k8sApiToken, softwareVersion } from '../../domain/cloud-extra-info';
import { buildKubeconfig, isKubernetesPlatform, isPem, sameKubeconfig } from '../../domain/kubeconfig';
import { VimId } from '../../domain/vim-id';
import { K8sConnectivityPort } from '../ports/k8s-connectivity.port';
import { LogPort } from '../ports/log.port';
import { Settings } from '../ports/settings.port';
import { Redactor } from '../jobs/redactor';

export type K8sOutcome =
  /**
   * `verified`: the kubeconfig names the cluster's CA (else it skips TLS verification);
   * `record`: what happened to multicloud-k8s's record (`unchanged`: nothing written).
   */
  | { connected: true; verified: boolean; record: 'created' | 'replaced' | 'unchanged' }
  | { connected: false; reason: 'not-kubernetes' | 'no-credentials' }
  /** multicloud-k8s keys records by cloud-region alone: another owner's `{region}` holds the key. */
  | { connected: false; reason: 'other-owner'; owner: string }
  | { connected: false; reason: 'failed'; error: Error };

/**
 * SPEC 3.6: a StarlingX Kubernetes platform whose cloud-extra-info has k8s-apiserver
 * and k8s-apitoken is registered with the multicloud-k8s plugin. Its failure is
 * reported, never thrown: it does not fail the registration.
 *
 * multicloud-k8s keys a connection by cloud-region alone and refuses a second POST
 * ("Connection already exists"), so the record is read first: posted when absent,
 * left as it is when equal (a sync of an unchanged region writes nothing), deleted and
 * posted again when its server, token or CA changed, and never touched when another
 * cloud-owner's region of the same name holds it.
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
      this.log.warn(`${vimId}: k8s-apiserver or k8s-apitoken missing from cloud-extra-info; ` + 'its Kubernetes connectivity must be provisioned in other ways');
      return { connected: false, reason: 'no-credentials' };
    }
    const ca = k8sApiCaCert(info);
    const wanted = buildKubeconfig(server, token, ca);
    try {
      const held = await this.k8s.read(vimId);
      if (held && held.cloudOwner !== vimId.cloudOwner) return this.otherOwner(vimId, held.cloudOwner);
      if (held && sameKubeconfig(held.kubeconfig, wanted)) return { connected: true, verified: isPem(ca), record: 'unchanged' };
      if (held) await this.k8s.remove(vimId);
      const raced = await this.k8s.register(vimId, wanted).then(
        () => undefined,
        (error: unknown) => (/Connection already exists/.test(String((error as Error).message)) ? this.k8s.read(vimId) : Promise.reject(error)),
      );
      // Another job posted the region between the read and the POST: what it holds decides.
      if (raced && raced.cloudOwner !== vimId.cloudOwner) return this.otherOwner(vimId, raced.cloudOwner);
      if (raced && sameKubeconfig(raced.kubeconfig, wanted)) return { connected: true, verified: isPem(ca), record: 'unchanged' };
      if (raced) throw new Error(`multicloud-k8s holds another kubeconfig for ${vimId.cloudRegionId}, posted while this registration ran`);
      this.log.info(`${vimId}: Kubernetes connectivity ${held ? 'replaced' : 'registered'} with multicloud-k8s`);
      return { connected: true, verified: isPem(ca), record: held ? 'replaced' : 'created' };
    } catch (error) {
      // The plugin's answer is quoted in the message: it must not carry the token back.
      this.redactor.add(token);
      const failure = new Error(this.redactor.text((error as Error).message));
      this.log.warn(`${vimId}: Kubernetes connectivity not registered: ${failure.message}`);
      return { connected: false, reason: 'failed', error: failure };
    }
  }

  private otherOwner(vimId: VimId, owner: string): K8sOutcome {
    this.log.warn(`${vimId}: multicloud-k8s holds cloud-owner ${owner}'s ${vimId.cloudRegionId}; left as it is`);
    return { connected: false, reason: 'other-owner', owner };
  }
}

/**
 * Removes the vimid's multicloud-k8s record, only when this cloud-owner holds it
 * (another owner's region of the same name is theirs); one that is absent is no error.
 */
export async function disconnectKubernetes(k8s: K8sConnectivityPort, vimId: VimId): Promise<void> {
  const held = await k8s.read(vimId);
  if (held && held.cloudOwner === vimId.cloudOwner) await k8s.remove(vimId);
}

/** The warning a registration gives when another cloud-owner's region of the same name holds multicloud-k8s's key. */
export function otherOwnerWarning(vimId: VimId, owner: string): string {
  return (
    `k8s connectivity of ${vimId} not registered: multicloud-k8s keys connections by cloud-region alone and holds ` +
    `${owner}'s ${vimId.cloudRegionId}; it cannot hold two owners' ${vimId.cloudRegionId}`
  );
}
