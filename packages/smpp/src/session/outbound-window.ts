/**
 * Accounting of our requests: at most `size` requests are unacknowledged at
 * the peer (the outbound window); further ones wait in a FIFO queue of at most
 * `maxQueued` entries and go out in order as responses free the window. When
 * the queue is full too, `enqueue` refuses and the caller rejects the request
 * (WindowFullError), so a stalled peer never makes memory grow without bound.
 * Control requests (enquire_link, unbind) bypass the window: a keep-alive must
 * not wait behind submits the dead peer will never answer.
 */
import type { CommandName } from '../constants/command-id.ts';
import type { Pdu } from '../pdu/types.ts';

/** One request of ours, queued or in flight. */
export interface OutboundRequest {
  /** The request's command name. */
  readonly command: CommandName;
  readonly sequenceNumber: number;
  /** The encoded PDU. */
  readonly bytes: Uint8Array;
  /** Response timeout in ms, counted from the write. */
  readonly timeout: number;
  /** False for control requests that bypass the window. */
  readonly windowed: boolean;
  readonly resolve: (response: Pdu) => void;
  readonly reject: (error: Error) => void;
  /** The response timer, set while in flight. */
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** The outbound window and its wait queue. Pure bookkeeping: no I/O. */
export class OutboundWindow {
  /** Maximum windowed requests in flight. */
  readonly size: number;
  /** Maximum requests waiting for a window slot. */
  readonly maxQueued: number;
  private readonly inFlight = new Map<number, OutboundRequest>();
  private used = 0;
  private queue: OutboundRequest[] = [];
  private queueHead = 0;

  constructor(size: number, maxQueued: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('window size must be an integer ≥ 1');
    if (!Number.isInteger(maxQueued) || maxQueued < 0)
      throw new RangeError('maxQueued must be an integer ≥ 0');
    this.size = size;
    this.maxQueued = maxQueued;
  }

  /** Requests sent and not yet answered (control requests included). */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Window slots in use (control requests excluded). */
  get windowUsed(): number {
    return this.used;
  }

  /** Requests waiting for a window slot. */
  get queuedCount(): number {
    return this.queue.length - this.queueHead;
  }

  /** True when a request with this sequence_number is in flight (used to skip numbers after a wrap). */
  isInFlight(sequenceNumber: number): boolean {
    return this.inFlight.has(sequenceNumber);
  }

  /**
   * Adds a request at the end of the wait queue; false when the queue is full.
   * Free window slots count as room too, so `maxQueued` 0 means "send or refuse".
   */
  enqueue(request: OutboundRequest): boolean {
    if (this.queuedCount >= this.maxQueued + Math.max(0, this.size - this.used)) return false;
    this.queue.push(request);
    return true;
  }

  /** Takes the oldest queued request and counts it in flight, when a window slot is free. */
  nextToSend(): OutboundRequest | undefined {
    if (this.used >= this.size || this.queueHead === this.queue.length) return undefined;
    const request = this.queue[this.queueHead];
    if (request === undefined) return undefined;
    this.queue[this.queueHead] = PLACEHOLDER;
    this.queueHead += 1;
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    } else if (this.queueHead >= 1024 && this.queueHead * 2 >= this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    this.track(request);
    return request;
  }

  /** Counts a request in flight without queueing (control requests, or a windowed one sent at once). */
  track(request: OutboundRequest): void {
    this.inFlight.set(request.sequenceNumber, request);
    if (request.windowed) this.used += 1;
  }

  /** Removes the in-flight request with this sequence_number (answered or timed out), clearing its timer. */
  settle(sequenceNumber: number): OutboundRequest | undefined {
    const request = this.inFlight.get(sequenceNumber);
    if (request === undefined) return undefined;
    this.inFlight.delete(sequenceNumber);
    if (request.windowed) this.used -= 1;
    if (request.timer !== undefined) {
      clearTimeout(request.timer);
      request.timer = undefined;
    }
    return request;
  }

  /** Empties the wait queue and returns what was in it (in order). */
  drainQueued(): OutboundRequest[] {
    const queued = this.queue.slice(this.queueHead);
    this.queue = [];
    this.queueHead = 0;
    return queued;
  }

  /** Empties queue and window (timers cleared) and returns every request, for rejection on close. */
  drainAll(): OutboundRequest[] {
    const all = [...this.inFlight.values()];
    for (const request of all) {
      if (request.timer !== undefined) clearTimeout(request.timer);
      request.timer = undefined;
    }
    this.inFlight.clear();
    this.used = 0;
    return [...all, ...this.drainQueued()];
  }
}

const PLACEHOLDER: OutboundRequest = {
  command: 'generic_nack',
  sequenceNumber: 0,
  bytes: new Uint8Array(0),
  timeout: 0,
  windowed: false,
  resolve: () => undefined,
  reject: () => undefined,
  timer: undefined,
};
