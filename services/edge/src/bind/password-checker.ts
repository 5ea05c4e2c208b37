/**
 * Bind password checks that a burst cannot turn into a CPU denial of service
 * (issue #14): scrypt (~0.35 CPU-s per check with the default parameters) runs
 * at most `maxConcurrent` at a time in all and `maxPerAddress` at a time per
 * remote address, with at most `maxQueued` waiting (FIFO) — anything beyond is
 * answered 'busy' at once, without scrypt. A (system_id, password) pair that
 * verified recently is remembered for `cacheTtlMs`, so a correct client's
 * reconnect storm costs no scrypt. The cache keeps neither the password nor a
 * slow hash of it: its key is an HMAC-SHA256 of the pair under a secret made
 * at start (never stored), and an entry holds the account's stored hash at the
 * time, so a changed password (a new stored hash) misses.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { verifyPassword } from '@smsgw/accounts';

/** Settings of PasswordChecker. */
export interface PasswordCheckerOptions {
  /** scrypt checks at once in all (EDGE_AUTH_MAX_CONCURRENT). */
  readonly maxConcurrent: number;
  /** scrypt checks at once from one remote address (EDGE_AUTH_MAX_CONCURRENT_PER_ADDRESS). */
  readonly maxPerAddress: number;
  /** Checks waiting for a slot at most (EDGE_AUTH_MAX_QUEUED). */
  readonly maxQueued: number;
  /** How long a verified pair is remembered (ms; 0 = no cache) (EDGE_AUTH_CACHE_TTL). */
  readonly cacheTtlMs: number;
  /** Verified pairs remembered at most, least recently used dropped first (EDGE_AUTH_CACHE_ENTRIES). */
  readonly cacheEntries: number;
  /** Monotonic clock in ms (default performance.now). */
  readonly now?: () => number;
}

/** The outcome of a check: the password matched or not, or it was not checked (too many checks). */
export type PasswordVerdict = 'match' | 'mismatch' | 'busy';

interface CacheEntry {
  readonly storedHash: string;
  readonly expires: number;
}

/** Concurrency-limited, cached verification of bind passwords. */
export class PasswordChecker {
  readonly #o: PasswordCheckerOptions;
  readonly #now: () => number;
  readonly #secret = randomBytes(32);
  /** Map order is recency order. */
  readonly #cache = new Map<string, CacheEntry>();
  readonly #perAddress = new Map<string, number>();
  readonly #waiting: (() => void)[] = [];
  #active = 0;

  constructor(options: PasswordCheckerOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => performance.now());
  }

  /** scrypt checks running now. */
  get active(): number {
    return this.#active;
  }

  /** Pairs remembered. */
  get cacheSize(): number {
    return this.#cache.size;
  }

  /** Whether the pair verified against this stored hash recently (no scrypt). */
  cached(systemId: string, password: string, storedHash: string): boolean {
    if (this.#o.cacheTtlMs === 0) return false;
    const key = this.#key(systemId, password);
    const entry = this.#cache.get(key);
    if (entry === undefined) return false;
    this.#cache.delete(key);
    if (entry.storedHash !== storedHash || entry.expires <= this.#now()) return false;
    this.#cache.set(key, entry);
    return true;
  }

  /**
   * Verifies with scrypt when a slot is free (waiting in line for one if
   * needed), or answers 'busy'. `abandoned` is asked once the slot is had: a
   * connection that went away meanwhile costs no scrypt ('busy').
   * Rejects as verifyPassword does (a stored hash that is not one).
   */
  async verify(
    address: string,
    systemId: string,
    password: string,
    storedHash: string,
    abandoned: () => boolean = () => false,
  ): Promise<PasswordVerdict> {
    const fromAddress = this.#perAddress.get(address) ?? 0;
    if (fromAddress >= this.#o.maxPerAddress) return 'busy';
    if (this.#active >= this.#o.maxConcurrent && this.#waiting.length >= this.#o.maxQueued) return 'busy';
    this.#perAddress.set(address, fromAddress + 1);
    try {
      // A finishing check hands its slot straight to the first in line (#active unchanged).
      if (this.#active < this.#o.maxConcurrent) this.#active++;
      else await new Promise<void>((resolve) => this.#waiting.push(resolve));
      try {
        if (abandoned()) return 'busy';
        const match = await verifyPassword(password, storedHash);
        if (match) this.#remember(systemId, password, storedHash);
        return match ? 'match' : 'mismatch';
      } finally {
        const next = this.#waiting.shift();
        if (next === undefined) this.#active--;
        else next();
      }
    } finally {
      const left = (this.#perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.#perAddress.set(address, left);
      else this.#perAddress.delete(address);
    }
  }

  #remember(systemId: string, password: string, storedHash: string): void {
    if (this.#o.cacheTtlMs === 0) return;
    const key = this.#key(systemId, password);
    this.#cache.delete(key);
    this.#cache.set(key, { storedHash, expires: this.#now() + this.#o.cacheTtlMs });
    while (this.#cache.size > this.#o.cacheEntries) {
      const oldest = this.#cache.keys().next();
      if (oldest.done === true) break;
      this.#cache.delete(oldest.value);
    }
  }

  #key(systemId: string, password: string): string {
    return createHmac('sha256', this.#secret).update(systemId).update('\0').update(password).digest('base64');
  }
}
