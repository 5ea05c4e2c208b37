/**
 * The connector's submit rate (CONNECTOR_SMPP_TPS): a token bucket shared by all its
 * sessions, refilled at `ratePerSecond` up to one second's worth, with a
 * pause that ESME_RTHROTTLED sets for every session at once. Waiters are
 * served in arrival order.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** A rate limit across sessions. */
export class TokenBucket {
  readonly #ratePerSecond: number;
  readonly #capacity: number;
  readonly #now: () => number;
  #tokens: number;
  #refilledAt: number;
  #pausedUntil = 0;
  /** The tail of the queue of waiters: each waits for the one before it. */
  #queue: Promise<void> = Promise.resolve();

  /** `ratePerSecond` 0 means no limit (only pauses apply). */
  constructor(ratePerSecond: number, now: () => number = () => performance.now()) {
    this.#ratePerSecond = ratePerSecond;
    this.#capacity = Math.max(1, ratePerSecond);
    this.#now = now;
    this.#tokens = this.#capacity;
    this.#refilledAt = now();
  }

  /** Stops every submit for `ms` (ESME_RTHROTTLED), from now; a longer pause already set stays. */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
  }

  /** Whether submits are paused now. */
  get paused(): boolean {
    return this.#now() < this.#pausedUntil;
  }

  /** Resolves when a submit may go; rejects with the signal's reason when it aborts. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#waitForToken(signal));
    // The next waiter waits for this one to end, however it ends.
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #waitForToken(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#now();
      if (now < this.#pausedUntil) {
        await sleep(this.#pausedUntil - now, undefined, signal === undefined ? {} : { signal });
        continue;
      }
      if (this.#ratePerSecond === 0) return;
      this.#tokens = Math.min(
        this.#capacity,
        this.#tokens + ((now - this.#refilledAt) / 1000) * this.#ratePerSecond,
      );
      this.#refilledAt = now;
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.#tokens) / this.#ratePerSecond) * 1000);
      await sleep(waitMs, undefined, signal === undefined ? {} : { signal });
    }
  }
}
