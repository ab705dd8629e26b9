/**
 * The timings that follow from a claim's life (JOB_CLAIM_TTL_MS, default 30 s): renewed
 * every fifteenth of it (2 s); work whose last renewal is older than two thirds of it
 * (20 s) stops itself, before the claim can expire; every replica sweeps for work nobody
 * holds every sixth of it (5 s).
 */
export function heartbeatMs(claimTtlMs: number): number {
  return Math.max(20, Math.floor(claimTtlMs / 15));
}

export function fenceMs(claimTtlMs: number): number {
  return claimTtlMs - Math.floor(claimTtlMs / 3);
}

export function sweepMs(claimTtlMs: number): number {
  return Math.max(50, Math.floor(claimTtlMs / 6));
}
