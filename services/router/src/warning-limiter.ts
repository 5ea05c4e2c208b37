/**
 * At most one warning per key per interval: a removed account with heavy
 * traffic must say so in the logs, not fill them with one line per submit.
 */
export class WarningLimiter {
  readonly #intervalMs: number;
  readonly #maxKeys: number;
  readonly #last = new Map<string, number>();

  /** Warn about each key at most once per intervalMs; remember at most maxKeys keys (then start afresh). */
  constructor(intervalMs = 60_000, maxKeys = 10_000) {
    this.#intervalMs = intervalMs;
    this.#maxKeys = maxKeys;
  }

  /** True when a warning about `key` is due at time `nowMs` (and records it as given). */
  shouldWarn(key: string, nowMs: number): boolean {
    const last = this.#last.get(key);
    if (last !== undefined && nowMs - last < this.#intervalMs) return false;
    if (last === undefined && this.#last.size >= this.#maxKeys) this.#last.clear();
    this.#last.set(key, nowMs);
    return true;
  }
}
