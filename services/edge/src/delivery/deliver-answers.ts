/**
 * How the edge answers on one Deliver stream: a DeliverResult per request,
 * each followed by a Credit for the request's account (its free window on this
 * pod right then, naming the highest delivery_id received so far).
 *
 * To a dispatcher that announced batches (edge_delivery.proto) the results of
 * one event-loop turn go out as one DeliverBatch, with one Credit per account
 * computed when the batch is written: the same information in one gRPC message
 * instead of two per report (each costs a protobuf encode, an HTTP/2 frame and
 * grpc-js' per-message stream work on both sides). An older dispatcher gets a
 * result and a credit per request, as before.
 */
import { create } from '@bufbuild/protobuf';
import {
  CreditSchema,
  DeliverResponseSchema,
  DeliverResultSchema,
  type Credit,
  type DeliverOutcome,
  type DeliverResponse,
  type DeliverResult,
} from '@smsgw/proto';
import { TurnBatch } from '@smsgw/runtime';

/** What the answers are written to (the server side of a Deliver call). */
export interface AnswerSink {
  readonly cancelled: boolean;
  readonly writableEnded: boolean;
  write(response: DeliverResponse): boolean;
}

/** The outcome of one request, before it becomes a DeliverResult. */
export interface Outcome {
  readonly outcome: DeliverOutcome;
  readonly commandStatus: number;
  readonly sessionId: string;
}

/** A result waiting for its batch, with its request's account ('' when the request named none). */
interface Answered {
  readonly result: DeliverResult;
  readonly systemId: string;
}

/** One stream's answers (see the module comment). */
export class DeliverAnswers {
  readonly #call: AnswerSink;
  readonly #batched: boolean;
  readonly #freeWindowOf: (systemId: string) => number;
  /** The highest delivery_id received on this stream (see Credit.last_delivery_id). */
  #lastDeliveryId = 0n;
  /** This turn's results: one DeliverBatch at the end of the turn. */
  readonly #batch = new TurnBatch<Answered>((answered) => {
    this.#writeBatch(answered);
  });

  /**
   * Answers on `call`, batched when the dispatcher announced it reads batches; `freeWindowOf` is an
   * account's free deliver_sm window summed over its sessions on this pod.
   */
  constructor(call: AnswerSink, batched: boolean, freeWindowOf: (systemId: string) => number) {
    this.#call = call;
    this.#batched = batched;
    this.#freeWindowOf = freeWindowOf;
  }

  /** Notes a request as received: every request up to it is counted in the credits computed from now on. */
  received(deliveryId: bigint): void {
    if (deliveryId > this.#lastDeliveryId) this.#lastDeliveryId = deliveryId;
  }

  /** Answers request `deliveryId` of account `systemId` ('' when the request had none: no credit follows). */
  answer(deliveryId: bigint, systemId: string, outcome: Outcome): void {
    // A cancelled stream's results are lost; the dispatcher retries whatever it did not see answered.
    if (this.#closed()) return;
    const result = create(DeliverResultSchema, {
      deliveryId,
      outcome: outcome.outcome,
      commandStatus: outcome.commandStatus,
      sessionId: outcome.sessionId,
    });
    if (!this.#batched) {
      this.#call.write(create(DeliverResponseSchema, { kind: { case: 'result', value: result } }));
      if (systemId !== '') {
        this.#call.write(
          create(DeliverResponseSchema, { kind: { case: 'credit', value: this.#credit(systemId) } }),
        );
      }
      return;
    }
    this.#batch.push({ result, systemId });
  }

  /** Writes the batch of this turn now (also before the edge ends the stream); nothing when there is none. */
  flush(): void {
    this.#batch.flush();
  }

  /** One DeliverBatch: the results, then a credit per account computed now, after all of them. */
  #writeBatch(answered: readonly Answered[]): void {
    if (this.#closed()) return;
    const results = answered.map((a) => a.result);
    const accounts = new Set(answered.flatMap((a) => (a.systemId === '' ? [] : [a.systemId])));
    const credits = [...accounts].map((systemId) => this.#credit(systemId));
    this.#call.write(create(DeliverResponseSchema, { kind: { case: 'batch', value: { results, credits } } }));
  }

  #credit(systemId: string): Credit {
    return create(CreditSchema, {
      systemId,
      freeWindow: this.#freeWindowOf(systemId),
      lastDeliveryId: this.#lastDeliveryId,
    });
  }

  #closed(): boolean {
    return this.#call.cancelled || this.#call.writableEnded;
  }
}
