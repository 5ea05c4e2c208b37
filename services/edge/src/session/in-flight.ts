/**
 * A count of work in flight with a wait for it to reach zero: what drain
 * needs, without a promise per submit kept in a Set (which cost a `.finally`
 * chain and two Set updates per message).
 */
export class InFlight {
  #count = 0;
  #idle: (() => void)[] = [];

  /** Work in flight now. */
  get count(): number {
    return this.#count;
  }

  /** One more in flight. */
  add(): void {
    this.#count++;
  }

  /** One fewer; wakes the idle waiters at zero. */
  done(): void {
    if (this.#count === 0) return;
    this.#count--;
    if (this.#count > 0 || this.#idle.length === 0) return;
    const waiters = this.#idle;
    this.#idle = [];
    for (const wake of waiters) wake();
  }

  /** Resolves once nothing is in flight (at once when nothing is). */
  idle(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#idle.push(resolve);
    });
  }
}
