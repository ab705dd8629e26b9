/**
 * Bounds on what one API request may cost (limits.config.ts reads them):
 * - the proxy's URL rewrite (PROXY_REWRITE_MAX_BYTES, PROXY_REWRITE_CONCURRENCY): a JSON
 *   API document up to `rewriteMaxBytes` is read whole to point its URLs at the proxy,
 *   at most `rewriteConcurrency` at once; anything larger goes through as it came;
 * - a registration plan (PLAN_TIMEOUT_MS): stopped, its remote calls too, after `planTimeoutMs`.
 */
export abstract class RequestLimits {
  abstract readonly rewriteMaxBytes: number;
  abstract readonly rewriteConcurrency: number;
  abstract readonly planTimeoutMs: number;
}
