import { VimId } from '../../domain/vim-id';

/** A request forwarded to the multicloud-k8s plugin's infra_workload, and its answer as given. */
export interface K8sWorkloadCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** `''` or `/{workload-id}` */
  suffix: string;
  /** The caller's query string, without `?` (may be empty). */
  query: string;
  body?: unknown;
  project?: string;
}

/** `{MSB}/api/multicloud-k8s/v1/{owner}/{region}/infra_workload[…]`: the answer comes back unchanged. */
export abstract class K8sWorkloadPort {
  abstract forward(vimId: VimId, call: K8sWorkloadCall): Promise<{ status: number; body: unknown; contentType?: string }>;
}
