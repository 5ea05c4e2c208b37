/**
 * Back-off after failed binds. Growing delays before answering a failed bind (unknown system_id or wrong
 * password, both ESME_RINVPASWD so as not to reveal which), per source address
 * and per system_id: the delay doubles with each recent failure of either,
 * up to a maximum. Failures are forgotten `windowMs` after the last one, and
 * at most `maxEntries` addresses and system_ids are remembered (the least
 * recently failed go first), so a flood of random ids cannot grow memory.
 * Until a failure's delay has passed, its address and system_id are "in
 * back-off": the edge refuses their binds without running scrypt (issue #14).
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
  /** The back-off of this key ends then. */
  until: number;
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
    const byAddress = this.#bump(`a:${address}`);
    const bySystemId = this.#bump(`s:${systemId}`);
    const { baseMs, maxMs } = this.#options;
    const delay = Math.min(
      maxMs,
      baseMs * 2 ** Math.min(Math.max(byAddress.failures, bySystemId.failures) - 1, 30),
    );
    byAddress.until = bySystemId.until = this.#now() + delay;
    return delay;
  }

  /**
   * How long the address or the system_id is still in back-off (ms; 0 when
   * neither is): a bind meanwhile is refused without checking its password.
   */
  remaining(address: string, systemId: string): number {
    const now = this.#now();
    const until = Math.max(
      this.#entries.get(`a:${address}`)?.until ?? 0,
      this.#entries.get(`s:${systemId}`)?.until ?? 0,
    );
    return Math.max(0, until - now);
  }

  /** A successful bind clears its system_id's failures (the address's expire on their own). */
  recordSuccess(systemId: string): void {
    this.#entries.delete(`s:${systemId}`);
  }

  /** Keys remembered. */
  get size(): number {
    return this.#entries.size;
  }

  #bump(key: string): Entry {
    const now = this.#now();
    const entry = this.#entries.get(key);
    let failures = 1;
    if (entry !== undefined) {
      this.#entries.delete(key);
      if (now - entry.last < this.#options.windowMs) failures = entry.failures + 1;
    }
    const bumped: Entry = { failures, last: now, until: now };
    this.#entries.set(key, bumped);
    while (this.#entries.size > this.#options.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    return bumped;
  }
}
