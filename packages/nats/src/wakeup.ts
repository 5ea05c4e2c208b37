/**
 * A level-free "something changed" signal: wait() resolves at the next
 * notify(). Check the condition, then wait, in the same tick: nothing can
 * slip in between on one thread.
 */
export class Wakeup {
  #waiters: (() => void)[] = [];

  /** Resolves at the next notify(). */
  wait(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Wakes every current waiter. */
  notify(): void {
    if (this.#waiters.length === 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}
