/**
 * At most one log line per interval for an event that a hostile peer can
 * repeat at will (a refused connection): a flood must not become a flood of
 * log lines. Each line carries how many events it stands for.
 */

/** Decides which occurrences of a repeated event get a log line. */
export class LogThrottle {
  readonly #intervalMs: number;
  readonly #now: () => number;
  #last = Number.NEGATIVE_INFINITY;
  #pending = 0;

  constructor(intervalMs: number, now: () => number = () => performance.now()) {
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  /** Counts an occurrence; returns how many it stands for (itself and those not logged since) when it should be logged, else undefined. */
  take(): number | undefined {
    this.#pending++;
    const now = this.#now();
    if (now - this.#last < this.#intervalMs) return undefined;
    this.#last = now;
    const count = this.#pending;
    this.#pending = 0;
    return count;
  }
}
