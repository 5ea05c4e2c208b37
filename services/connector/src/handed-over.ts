/**
 * The message ids this replica handed over (and acked) lately. An ack is a
 * one-way publish to the lane consumer's leader: when that leader hangs or
 * dies, acks sent to it are lost, and after the ack wait the new leader
 * delivers those messages again although the network has them. A redelivered
 * message whose id is here is acked again instead of being sent twice
 * (README "After the network accepted"). Ids are kept for `keepMs` (twice the
 * lanes' ack wait: a lost ack shows as a redelivery within one ack wait after
 * a new leader took over), oldest dropped first, so memory is bounded by the
 * rate: about 100 bytes per message handed over in that window.
 */
export class HandedOver {
  readonly #keepMs: number;
  readonly #now: () => number;
  /** Id → when it was handed over, in insertion (so time) order. */
  readonly #ids = new Map<string, number>();

  constructor(keepMs: number, now: () => number = Date.now) {
    this.#keepMs = keepMs;
    this.#now = now;
  }

  /** Records a message handed over now. */
  add(messageId: string): void {
    const now = this.#now();
    this.#ids.delete(messageId);
    this.#ids.set(messageId, now);
    this.#prune(now);
  }

  /** Whether the message was handed over within the window. */
  has(messageId: string): boolean {
    const at = this.#ids.get(messageId);
    return at !== undefined && this.#now() - at <= this.#keepMs;
  }

  /** Ids remembered now. */
  get size(): number {
    return this.#ids.size;
  }

  #prune(now: number): void {
    for (const [id, at] of this.#ids) {
      if (now - at <= this.#keepMs) return;
      this.#ids.delete(id);
    }
  }
}
