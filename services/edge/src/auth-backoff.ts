/**
 * Growing delays before answering a failed bind (unknown system_id or wrong
 * password, both ESME_RINVPASWD so as not to reveal which), per source address
 * and per system_id: the delay doubles with each recent failure of either,
 * up to a maximum. Failures are forgotten `windowMs` after the last one, and
 * at most `maxEntries` addresses and system_ids are remembered (the least
 * recently failed go first), so a flood of random ids cannot grow memory.
 */

/** Options of AuthBackoff. */
export interface AuthBackoffOptions {
  /** Delay after the first failure (ms). */
  readonly baseMs: number;
  /** Longest delay (ms). */
  readonly maxMs: number;
  /** A key's failures are forgotten this long after its last one (ms). */
  readonly windowMs: number;
  /** Keys remembered at most. */
  readonly maxEntries: number;
  /** Monotonic clock in ms (default performance.now). */
  readonly now?: () => number;
}

interface Entry {
  failures: number;
  last: number;
}

/** Failure counts per address and per system_id, bounded. */
export class AuthBackoff {
  readonly #options: AuthBackoffOptions;
  readonly #now: () => number;
  /** Map order is recency order: a touched key is re-inserted at the end. */
  readonly #entries = new Map<string, Entry>();

  constructor(options: AuthBackoffOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Records a failed bind and returns how long to wait before answering it (ms). */
  recordFailure(address: string, systemId: string): number {
    const failures = Math.max(this.#bump(`a:${address}`), this.#bump(`s:${systemId}`));
    const { baseMs, maxMs } = this.#options;
    return Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
  }

  /** A successful bind clears its system_id's failures (the address's expire on their own). */
  recordSuccess(systemId: string): void {
    this.#entries.delete(`s:${systemId}`);
  }

  /** Keys remembered. */
  get size(): number {
    return this.#entries.size;
  }

  #bump(key: string): number {
    const now = this.#now();
    const entry = this.#entries.get(key);
    let failures = 1;
    if (entry !== undefined) {
      this.#entries.delete(key);
      if (now - entry.last < this.#options.windowMs) failures = entry.failures + 1;
    }
    this.#entries.set(key, { failures, last: now });
    while (this.#entries.size > this.#options.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    return failures;
  }
}
