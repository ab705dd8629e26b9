import { VimId } from '../../domain/vim-id';

/** The multicloud-k8s plugin's connectivity records (keyed there by cloud-region). */
export abstract class K8sConnectivityPort {
  /** Uploads the kubeconfig; it never touches a disk. */
  abstract register(vimId: VimId, kubeconfig: Record<string, unknown>): Promise<void>;
  /** Removes the record; one that does not exist is no error. */
  abstract remove(vimId: VimId): Promise<void>;
}
