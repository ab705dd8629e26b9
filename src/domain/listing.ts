/**
 * What a listing of the cloud proves about the objects it did not return (SPEC 7,
 * "Proof before delete"). A kind is pruned from A&AI only when its listing is both
 * complete and authoritative.
 */
export interface ListingProof {
  /** Every page read (`next` advanced to new items), no page cap reached, not `truncated`, no call failed. */
  readonly complete: boolean;
  /** Read with full visibility (admin, `is_public=None`, the scope that wrote the objects): not a fallback. */
  readonly authoritative: boolean;
  /** Why it proves nothing, when it does not: `"listing incomplete: Glance next did not advance"`. */
  readonly reason?: string;
}

/** A listing's items with its proof. */
export interface Listing<T> {
  readonly items: T[];
  readonly proof: ListingProof;
}

export const PROVEN: ListingProof = { complete: true, authoritative: true };

export function provenListing<T>(items: T[]): Listing<T> {
  return { items, proof: PROVEN };
}

export function isProven(proof: ListingProof): boolean {
  return proof.complete && proof.authoritative;
}

/** The weaker of two proofs (a kind read through several listings proves only what all of them prove). */
export function bothProofs(a: ListingProof, b: ListingProof): ListingProof {
  if (isProven(a)) return b;
  if (isProven(b)) return a;
  return {
    complete: a.complete && b.complete,
    authoritative: a.authoritative && b.authoritative,
    reason: [a.reason, b.reason].filter(Boolean).join('; ') || undefined,
  };
}
