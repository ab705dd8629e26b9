import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { runWithSignal } from './call-scope';
import { fenceMs, heartbeatMs } from './claim-timing';
import { JobStorePort } from '../ports/job-store.port';
import { Settings } from '../ports/settings.port';

/**
 * A job writing a region other than its own (a distributed cloud's registration writing
 * a subcloud region) holds that region's claim meanwhile, as the region's own jobs do:
 * a DELETE of the subcloud then waits (queued; a sweep starts it once the claim goes)
 * instead of interleaving with the writes. The claim is renewed while held; work whose
 * claim cannot be renewed is stopped, as a job is.
 */
@Injectable()
export class RegionClaims {
  constructor(
    private readonly store: JobStorePort,
    private readonly settings: Settings,
  ) {}

  /** Runs `work` holding the vimid's claim; 'busy' (nothing run) when a job of its own holds it. */
  async withClaim<T>(vimId: string, work: () => Promise<T>): Promise<{ value: T } | 'busy'> {
    const ttl = this.settings.jobClaimTtlMs;
    const runId = randomUUID();
    if (!(await this.store.claim(vimId, runId, ttl))) return 'busy';
    const controller = new AbortController();
    let renewedAt = Date.now();
    const heartbeat = setInterval(() => {
      if (Date.now() - renewedAt > fenceMs(ttl)) {
        controller.abort(new Error(`the claim on ${vimId} could not be renewed`));
        return;
      }
      const sent = Date.now();
      this.store.renewClaim(vimId, runId, ttl).then(
        (renewed) => (renewed ? (renewedAt = sent) : controller.abort(new Error(`lost the claim on ${vimId}`))),
        () => undefined,
      );
    }, heartbeatMs(ttl));
    try {
      return { value: await runWithSignal(controller.signal, work) };
    } finally {
      clearInterval(heartbeat);
      await this.store.releaseClaim(vimId, runId).catch(() => undefined);
    }
  }
}
