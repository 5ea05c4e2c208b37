/**
 * Many callbacks due at many moments with few timers: callbacks are grouped
 * by due time into slots of `resolutionMs`, one timer per slot. The sim
 * network holds thousands of answers at once; a timer (and an abort
 * listener) each cost more CPU than the answers themselves.
 */
export class DueTimers {
  readonly #resolutionMs: number;
  readonly #slots = new Map<number, { timer: NodeJS.Timeout; callbacks: (() => void)[] }>();
  #size = 0;

  constructor(resolutionMs = 10) {
    this.#resolutionMs = resolutionMs;
  }

  /** Callbacks waiting. */
  get size(): number {
    return this.#size;
  }

  /** Calls `callback` once `delayMs` has passed (rounded up to the resolution). */
  add(delayMs: number, callback: () => void): void {
    const slot = Math.ceil((Date.now() + Math.max(0, delayMs)) / this.#resolutionMs);
    let entry = this.#slots.get(slot);
    if (entry === undefined) {
      const callbacks: (() => void)[] = [];
      const timer = setTimeout(
        () => {
          this.#slots.delete(slot);
          this.#size -= callbacks.length;
          for (const due of callbacks) due();
        },
        Math.max(0, slot * this.#resolutionMs - Date.now()),
      );
      entry = { timer, callbacks };
      this.#slots.set(slot, entry);
    }
    entry.callbacks.push(callback);
    this.#size++;
  }

  /** Calls every waiting callback now (shutdown: they find the network stopping) and clears the timers. */
  flush(): void {
    const slots = [...this.#slots.values()];
    this.#slots.clear();
    this.#size = 0;
    for (const { timer, callbacks } of slots) {
      clearTimeout(timer);
      for (const due of callbacks) due();
    }
  }
}
