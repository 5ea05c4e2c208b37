/**
 * Per-account submit rate limits on this pod: a token bucket per account that
 * refills at this pod's share of the account's maxSubmitsPerSecond
 * (cluster-binds.ts: in proportion to its submitting sessions among all
 * pods') and holds at most one second's worth (a burst of that size, at least
 * one token). The share may change between takes: the bucket follows it.
 */

/** Token buckets by key (system_id). */
export class TokenBuckets {
  readonly #now: () => number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  /** `now` is a monotonic clock in ms (default performance.now). */
  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** Takes one token from `key`'s bucket refilling at `perSecond`; false when it is empty (throttle). */
  take(key: string, perSecond: number): boolean {
    const now = this.#now();
    let bucket = this.#buckets.get(key);
    // A share below one submit per second still lets one through now and then.
    const capacity = Math.max(1, perSecond);
    if (bucket === undefined) {
      bucket = { tokens: capacity, at: now };
      this.#buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) * perSecond) / 1000);
      bucket.at = now;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Forgets `key`'s bucket (its last session closed). */
  delete(key: string): void {
    this.#buckets.delete(key);
  }

  /** Buckets held. */
  get size(): number {
    return this.#buckets.size;
  }
}
