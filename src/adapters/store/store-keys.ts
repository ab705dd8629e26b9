/** Keys the service keeps in its store. The `cap_*` ones are the Python plugin's, for operators. */
export const storeKeys = {
  azList: (vimId: string) => `cap_azlist_${vimId}`,
  zone: (vimId: string, zone: string) => `cap_${vimId}_${zone}`,
  /** The audit record behind capacity_check (per-host room, freshness, Placement generations). */
  azHosts: (vimId: string) => `mcstx:azcap_hosts:${vimId}`,
  /** The record's mark: asOf, failedAt, the digest of the inputs (the one key an unchanged audit writes). */
  azMark: (vimId: string) => `mcstx:azcap_mark:${vimId}`,
  job: (vimId: string) => `mcstx:job:${vimId}`,
  jobClaim: (vimId: string) => `mcstx:job_claim:${vimId}`,
  jobPending: (vimId: string) => `mcstx:job_next:${vimId}`,
  /** Hash: vimids with a queued request or a job not ended (the sweep's work list). */
  openJobs: 'mcstx:job_open',
  auditedRegions: 'mcstx:azcap_regions',
  /** Hash: per audited region, how many audits in a row A&AI answered it is not there. */
  auditNotFound: 'mcstx:azcap_not_found',
  /** Sorted set: each audited region's next due time (ms since the epoch), shared by the replicas. */
  auditDue: 'mcstx:azcap_due',
  /** SPEC 12: the regions registered again on every REGISTRY_SYNC_INTERVAL_MS, and their leases. */
  syncedRegions: 'mcstx:sync_regions',
  syncDue: 'mcstx:sync_due',
  /** A token's catalog in its region, under the SHA-256 of region and token (never the token). */
  tokenCatalog: (hash: string) => `mcstx:token_catalog:${hash}`,
};
