/**
 * One edge pod's EdgeDelivery server, as the dispatcher sees it: a gRPC
 * channel and one bidirectional Deliver stream, opened on first use and again
 * after it breaks. deliver() writes a DeliverRequest and resolves with its
 * DeliverResult; Credit messages go to onCredit.
 *
 * Every deliver() settles: with the edge's result, or as failed when the
 * stream breaks (the pod went away, was restarted or is draining), when no
 * result comes within resultTimeoutMs (a hung pod), or when the link is
 * closed. A failed attempt may still have reached the client, so the report
 * may arrive twice; DLRs are at least once (docs/architecture.md), never lost.
 *
 * Batches (edge_delivery.proto): the link announces in its request metadata
 * that it reads DeliverBatch, and once the edge's response metadata says it
 * reads DeliverRequest.batch, the requests of one event-loop turn go out as one
 * message (at most MAX_BATCH each); until then, and to an older edge, one per
 * report.
 *
 * After a broken stream the link reports itself unavailable for a back-off
 * (doubling from reconnect.minMs to reconnect.maxMs, reset by the next
 * result), so that a dead pod whose presence has not expired yet is not
 * dialled for every report.
 */
import { create } from '@bufbuild/protobuf';
import { credentials, type ClientDuplexStream, type Metadata } from '@grpc/grpc-js';
import {
  DeliverRequestSchema,
  EdgeDeliveryClient,
  deliverBatchMetadata,
  readsDeliverBatches,
  type Credit,
  type DeliverOutcome,
  type DeliverRequest,
  type DeliverResponse,
  type DeliverResult,
  type DeliveryReport,
} from '@smsgw/proto';
import { TurnBatch, type Logger } from '@smsgw/runtime';
import { retryDelayMs, type RetryPolicy } from '@smsgw/nats';

/** How one attempt through a link ended. */
export type LinkOutcome =
  | {
      /** The edge answered. */
      readonly kind: 'result';
      readonly outcome: DeliverOutcome;
      readonly commandStatus: number;
      readonly sessionId: string;
    }
  | {
      /** No answer: the stream broke, the result did not come in time, or the link was closed. */
      readonly kind: 'failed';
      readonly reason: 'stream' | 'timeout' | 'closed';
    };

/** Options of an EdgeLink. */
export interface EdgeLinkOptions {
  /** host:port of the pod's EdgeDelivery server. */
  readonly address: string;
  readonly logger: Logger;
  /** How long to wait for a result before giving the attempt up (ms); above the edge's deliver_sm timeout. */
  readonly resultTimeoutMs: number;
  /** Back-off after a broken stream. */
  readonly reconnect: RetryPolicy;
  /** A Credit from the edge: the account's free window on that pod now, counting every request up to lastDeliveryId (0: unknown). */
  readonly onCredit: (systemId: string, freeWindow: number, lastDeliveryId: bigint) => void;
  /** The link settled an attempt or changed availability (the dispatcher may send more now). */
  readonly onChange: () => void;
  /** Monotonic clock in ms (default performance.now). */
  readonly now?: () => number;
}

type DeliverCall = ClientDuplexStream<DeliverRequest, DeliverResponse>;

/** Requests per batch message at most: a DeliveryReport is a few hundred bytes, gRPC's default limit 4 MiB. */
const MAX_BATCH = 256;

interface Pending {
  readonly settle: (outcome: LinkOutcome) => void;
  readonly messageId: string;
  /** When the attempt times out (#now() ms). */
  readonly deadline: number;
}

/** The dispatcher's connection to one edge pod. */
export class EdgeLink {
  readonly #o: EdgeLinkOptions;
  readonly #now: () => number;
  readonly #client: EdgeDeliveryClient;
  readonly #pending = new Map<bigint, Pending>();
  #call: DeliverCall | undefined;
  /** The edge of #call reads batches (its response metadata said so). */
  #batching = false;
  /** Requests of this turn for #call, written together (emptied when the stream breaks or the link closes). */
  readonly #outgoing = new TurnBatch<DeliverRequest>((requests) => {
    this.#writeBatched(requests);
  });
  /**
   * One timer for every pending attempt's timeout, armed for the oldest: attempts time out in the order they
   * were sent (one resultTimeoutMs each), so #pending (insertion ordered) is also ordered by deadline. A
   * setTimeout and clearTimeout per report cost more than the sweep.
   */
  #sweep: NodeJS.Timeout | undefined;
  #nextId = 1n;
  #failures = 0;
  #retryAt = 0;
  #closed = false;

  constructor(options: EdgeLinkOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => performance.now());
    this.#client = new EdgeDeliveryClient(options.address, credentials.createInsecure(), {
      // Notice a peer that vanished without closing the connection (a node lost, not a process).
      'grpc.keepalive_time_ms': 30_000,
      'grpc.keepalive_timeout_ms': 10_000,
    });
  }

  /** The pod's address. */
  get address(): string {
    return this.#o.address;
  }

  /** False during the back-off after a broken stream, and once closed. */
  get available(): boolean {
    return !this.#closed && this.#now() >= this.#retryAt;
  }

  /** Attempts sent and not yet settled. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** A delivery_id for the next deliver(); ids rise in the order they are taken, so take one just before sending. */
  nextDeliveryId(): bigint {
    return this.#nextId++;
  }

  /** Sends the report as `deliveryId` (from nextDeliveryId) and resolves with how the attempt ended; never rejects. */
  deliver(report: DeliveryReport, deliveryId: bigint = this.nextDeliveryId()): Promise<LinkOutcome> {
    if (this.#closed) return Promise.resolve({ kind: 'failed', reason: 'closed' });
    const call = this.#open();
    return new Promise<LinkOutcome>((resolve) => {
      const deadline = this.#now() + this.#o.resultTimeoutMs;
      this.#pending.set(deliveryId, { settle: resolve, messageId: report.messageId, deadline });
      this.#sweep ??= setTimeout(() => {
        this.#timeOut();
      }, this.#o.resultTimeoutMs);
      const request = create(DeliverRequestSchema, { deliveryId, report });
      if (!this.#batching) {
        call.write(request);
        return;
      }
      this.#outgoing.push(request);
    });
  }

  /** Writes the requests this turn queued: alone, or as batches of at most MAX_BATCH. */
  #writeBatched(outgoing: readonly DeliverRequest[]): void {
    const call = this.#call;
    if (call === undefined) return;
    for (let i = 0; i < outgoing.length; i += MAX_BATCH) {
      const chunk = outgoing.slice(i, i + MAX_BATCH);
      const [only] = chunk;
      call.write(
        chunk.length === 1 && only !== undefined ? only : create(DeliverRequestSchema, { batch: chunk }),
      );
    }
  }

  /** Settles every attempt past its deadline as timed out, then re-arms for the oldest left. */
  #timeOut(): void {
    this.#sweep = undefined;
    const now = this.#now();
    for (const [id, pending] of this.#pending) {
      if (pending.deadline > now) break;
      this.#o.logger.warn(
        { address: this.#o.address, message_id: pending.messageId, timeout_ms: this.#o.resultTimeoutMs },
        'no delivery result from the edge in time',
      );
      this.#settle(id, { kind: 'failed', reason: 'timeout' });
    }
    this.#armSweep();
  }

  /** Arms the sweep for the oldest pending attempt, if any and not armed yet. */
  #armSweep(): void {
    if (this.#sweep !== undefined) return;
    const oldest = this.#pending.values().next();
    if (oldest.done === true) return;
    // At least 1 ms: a clock that says "not yet" at the deadline must not spin.
    this.#sweep = setTimeout(
      () => {
        this.#timeOut();
      },
      Math.max(1, oldest.value.deadline - this.#now()),
    );
  }

  /** Ends the stream, settles what is pending as failed and closes the channel. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#outgoing.clear();
    this.#failAll('closed');
    const call = this.#call;
    this.#call = undefined;
    call?.end();
    this.#client.close();
  }

  #open(): DeliverCall {
    if (this.#call !== undefined) return this.#call;
    const call = this.#client.deliver(deliverBatchMetadata());
    this.#call = call;
    this.#batching = false;
    call.on('metadata', (metadata: Metadata) => {
      if (this.#call === call) this.#batching = readsDeliverBatches(metadata);
    });
    call.on('data', (response: DeliverResponse) => {
      this.#onResponse(response);
    });
    // 'error' carries the status of a failed call; 'end' is the edge closing its side (draining).
    call.on('error', (error: Error) => {
      this.#broken(call, error);
    });
    call.on('end', () => {
      this.#broken(call, undefined);
    });
    return call;
  }

  #onResponse(response: DeliverResponse): void {
    const { kind } = response;
    switch (kind.case) {
      case 'credit':
        this.#onCredit(kind.value);
        return;
      case 'result':
        this.#onResult(kind.value);
        return;
      case 'batch':
        // As if each had come on its own, in this order: the results, then the credits computed after them.
        for (const result of kind.value.results) this.#onResult(result);
        for (const credit of kind.value.credits) this.#onCredit(credit);
        return;
      case undefined:
        // A kind this link does not know (a newer edge): nothing to settle.
        return;
    }
  }

  #onCredit(credit: Credit): void {
    this.#o.onCredit(credit.systemId, credit.freeWindow, credit.lastDeliveryId);
  }

  #onResult(result: DeliverResult): void {
    const { deliveryId, outcome, commandStatus, sessionId } = result;
    this.#failures = 0;
    this.#settle(deliveryId, { kind: 'result', outcome, commandStatus, sessionId });
  }

  #broken(call: DeliverCall, error: Error | undefined): void {
    if (this.#call !== call) return;
    this.#call = undefined;
    this.#batching = false;
    this.#outgoing.clear();
    call.removeAllListeners('data');
    // Keep a listener: a late 'error' on a stream given up must not become an uncaught exception.
    call.on('error', () => undefined);
    if (!this.#closed) {
      this.#failures++;
      const delay = retryDelayMs(this.#o.reconnect, this.#failures);
      this.#retryAt = this.#now() + delay;
      this.#o.logger.warn(
        { err: error, address: this.#o.address, pending: this.#pending.size, retry_in_ms: delay },
        'EdgeDelivery stream to the edge ended',
      );
    }
    this.#failAll('stream');
    this.#o.onChange();
  }

  #failAll(reason: 'stream' | 'closed'): void {
    for (const id of [...this.#pending.keys()]) this.#settle(id, { kind: 'failed', reason });
  }

  #settle(deliveryId: bigint, outcome: LinkOutcome): void {
    const pending = this.#pending.get(deliveryId);
    if (pending === undefined) return;
    this.#pending.delete(deliveryId);
    if (this.#pending.size === 0 && this.#sweep !== undefined) {
      clearTimeout(this.#sweep);
      this.#sweep = undefined;
    }
    pending.settle(outcome);
    this.#o.onChange();
  }
}
