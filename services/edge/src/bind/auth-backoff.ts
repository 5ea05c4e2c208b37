/**
 * Back-off after failed binds. Growing delays before answering a failed bind (unknown system_id or wrong
 * password, both ESME_RINVPASWD so as not to reveal which), per source address
 * and per system_id: the delay doubles with each recent failure of either,
 * up to a maximum. Failures are forgotten `windowMs` after the last one, and
 * at most `maxEntries` addresses and system_ids are remembered (the least
 * recently failed go first), so a flood of random ids cannot grow memory.
 * Until a failure's delay has passed, its address and system_id are "in
 * back-off": the edge refuses their binds without running scrypt (issue #14).
 * Other pods' failures come in through merge() (bind-failure-sync.ts), so a
 * guesser spreading over pods meets one back-off.
 */

import type { BindFailureSubject } from '@smsgw/nats';

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

/** What a back-off entry counts: a remote address or a system_id (the bind-failures bucket's subjects). */
export type BackoffSubject = BindFailureSubject;

const keyOf = (subject: BackoffSubject, id: string): string => `${subject === 'address' ? 'a' : 's'}:${id}`;

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
    const byAddress = this.#bump(keyOf('address', address));
    const bySystemId = this.#bump(keyOf('system-id', systemId));
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
      this.#entries.get(keyOf('address', address))?.until ?? 0,
      this.#entries.get(keyOf('system-id', systemId))?.until ?? 0,
    );
    return Math.max(0, until - now);
  }

  /** A successful bind clears its system_id's failures (the address's expire on their own); true when it had some. */
  recordSuccess(systemId: string): boolean {
    return this.#entries.delete(keyOf('system-id', systemId));
  }

  /** What is known of an address's or system_id's failures: their count and the ms since the last one and until the back-off ends. */
  stateOf(
    subject: BackoffSubject,
    id: string,
  ): { readonly failures: number; readonly sinceLastMs: number; readonly remainingMs: number } | undefined {
    const entry = this.#entries.get(keyOf(subject, id));
    if (entry === undefined) return undefined;
    const now = this.#now();
    return {
      failures: entry.failures,
      sinceLastMs: now - entry.last,
      remainingMs: Math.max(0, entry.until - now),
    };
  }

  /**
   * Takes in another pod's record of an address's or system_id's failures
   * (`sinceLastMs` ago, back-off ending in `remainingMs`): the higher count
   * and the later end win, so merging the same record twice changes nothing.
   * A record older than the window is ignored.
   */
  merge(
    subject: BackoffSubject,
    id: string,
    failures: number,
    sinceLastMs: number,
    remainingMs: number,
  ): void {
    if (sinceLastMs >= this.#options.windowMs) return;
    const now = this.#now();
    const key = keyOf(subject, id);
    const entry = this.#entries.get(key);
    const last = now - Math.max(0, sinceLastMs);
    const until = now + Math.max(0, remainingMs);
    if (entry === undefined) {
      this.#entries.set(key, { failures, last, until });
      this.#trim();
      return;
    }
    entry.failures = Math.max(entry.failures, failures);
    entry.last = Math.max(entry.last, last);
    entry.until = Math.max(entry.until, until);
  }

  /** Forgets a system_id's failures because a bind succeeded on another pod. */
  forget(subject: BackoffSubject, id: string): void {
    this.#entries.delete(keyOf(subject, id));
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
    this.#trim();
    return bumped;
  }

  #trim(): void {
    while (this.#entries.size > this.#options.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }
}
