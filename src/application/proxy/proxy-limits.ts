/**
 * What the proxy may hold of the answers it rewrites (PROXY_REWRITE_MAX_BYTES,
 * PROXY_REWRITE_CONCURRENCY): a JSON API document up to `rewriteMaxBytes` is read whole
 * to point its URLs at the proxy, at most `rewriteConcurrency` at once; anything larger
 * goes through as it came, streamed.
 */
export abstract class ProxyLimits {
  abstract readonly rewriteMaxBytes: number;
  abstract readonly rewriteConcurrency: number;
}
