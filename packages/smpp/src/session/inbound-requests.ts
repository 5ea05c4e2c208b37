/**
 * The peer's requests we have not answered yet, by sequence_number. Their
 * count is the inbound window: when it reaches the limit the session stops
 * reading the socket, so a client that floods is throttled by TCP itself.
 * A misbehaving peer may reuse a sequence_number while the first is pending;
 * each use is counted.
 */
export class InboundRequests {
  private readonly bySequence = new Map<number, number>();
  private total = 0;

  /** Unanswered requests. */
  get count(): number {
    return this.total;
  }

  /** True when a request with this sequence_number awaits its answer. */
  has(sequenceNumber: number): boolean {
    return this.bySequence.has(sequenceNumber);
  }

  /** Counts a request as unanswered. */
  add(sequenceNumber: number): void {
    this.bySequence.set(sequenceNumber, (this.bySequence.get(sequenceNumber) ?? 0) + 1);
    this.total += 1;
  }

  /** Counts one request with this sequence_number as answered; false when none was pending. */
  remove(sequenceNumber: number): boolean {
    const n = this.bySequence.get(sequenceNumber);
    if (n === undefined) return false;
    if (n === 1) this.bySequence.delete(sequenceNumber);
    else this.bySequence.set(sequenceNumber, n - 1);
    this.total -= 1;
    return true;
  }

  /** Forgets every request (the session closed). */
  clear(): void {
    this.bySequence.clear();
    this.total = 0;
  }
}
