import { VimId } from '../../domain/vim-id';

/** A connection multicloud-k8s holds: it keys them by cloud-region alone. */
export interface K8sConnection {
  cloudOwner: string;
  cloudRegion: string;
  /** The kubeconfig as uploaded, parsed; undefined when it does not parse as a YAML mapping. */
  kubeconfig: Record<string, unknown> | undefined;
}

/** The multicloud-k8s plugin's connectivity records (keyed there by cloud-region alone). */
export abstract class K8sConnectivityPort {
  /** The record held under the vimid's cloud-region (whichever owner wrote it), or undefined. */
  abstract read(vimId: VimId): Promise<K8sConnection | undefined>;
  /** Uploads the kubeconfig; it never touches a disk. The plugin refuses a region it already holds. */
  abstract register(vimId: VimId, kubeconfig: Record<string, unknown>): Promise<void>;
  /** Removes the record of the vimid's cloud-region; one that does not exist is no error. */
  abstract remove(vimId: VimId): Promise<void>;
}
