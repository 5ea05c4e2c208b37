/**
 * Items queued during one event-loop turn, handed over together when the turn
 * ends (setImmediate): for writers whose messages cost less together than one
 * by one (one socket write for a turn's NATS publishes, one gRPC message for a
 * turn's delivery reports). The price is one turn of latency.
 */
export class TurnBatch<T> {
  readonly #handOver: (items: T[]) => void;
  #items: T[] = [];

  /** Batches for `handOver`, which gets each turn's items in the order they were pushed (never none). */
  constructor(handOver: (items: T[]) => void) {
    this.#handOver = handOver;
  }

  /** Items waiting for the end of the turn. */
  get size(): number {
    return this.#items.length;
  }

  /** Queues `item`; the first of a turn schedules the hand-over. */
  push(item: T): void {
    if (this.#items.length === 0) setImmediate(this.flush);
    this.#items.push(item);
  }

  /** Hands over what is queued now (the end of the turn does the same); nothing when nothing is. */
  readonly flush = (): void => {
    if (this.#items.length === 0) return;
    const items = this.#items;
    this.#items = [];
    this.#handOver(items);
  };

  /** Drops what is queued without handing it over. */
  clear(): void {
    this.#items = [];
  }
}
