/**
 * How the edge publishes an accepted submit and waits for its PubAck.
 *
 * js.publish() is a NATS request: per message it builds a request object, a
 * timer and, by default, two Error objects with stack traces (nats.js' async
 * traces), which profiling showed to be a third of the edge's CPU per submit.
 * The InboxPublisher does what Go's PublishAsync does instead: one wildcard
 * reply subscription for all PubAcks, a numbered reply subject per message,
 * a map of waiting submits and one timer for the oldest deadline. Per message
 * that is a publish, a map entry and a JSON parse. The publishes of one
 * event-loop turn go out together (setImmediate): the submits of every
 * session read in that turn reach the socket in one write instead of one per
 * session read.
 *
 * The guarantee is js.publish()'s (docs/architecture.md invariant 1): a publish resolves
 * only with a PubAck naming the stream it was stored in; a JetStream error
 * rejects with JetStreamApiError, no responders with NoRespondersError, no
 * PubAck within the timeout with TimeoutError, a closed connection with
 * ClosedConnectionError. A PubAck that arrives after the timeout is ignored
 * (the client was told ESME_RMSGQFUL and resubmits).
 */
import { JetStreamApiError, JetStreamError, type JetStreamClient, type PubAck } from '@nats-io/jetstream';
import { BaseApiClientImpl } from '@nats-io/jetstream/internal';
import {
  ClosedConnectionError,
  createInbox,
  headers,
  NoRespondersError,
  TimeoutError,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';
import { Header } from '@smsgw/nats';
import { TurnBatch } from '@smsgw/runtime';

/** Publishes submits to JetStream; each promise settles once, as described above. */
export interface SubmitPublisher {
  /** Publishes `data` to `subject` with the Nats-Msg-Id and traceparent headers; resolves with the PubAck. */
  publish(subject: string, data: Uint8Array, msgId: string, traceparent: string): Promise<PubAck>;
  /** Publishes waiting for their PubAck. */
  readonly pending: number;
  /** Stops: waiting publishes reject with ClosedConnectionError, the reply subscription ends. */
  close(): void;
}

/** The publisher for `js`: an InboxPublisher on its connection when it exposes one, else js.publish(). */
export function submitPublisherFor(js: JetStreamClient, timeoutMs: number): SubmitPublisher {
  if (js instanceof BaseApiClientImpl) {
    return new InboxPublisher(js.getConnection(), timeoutMs, js.getOptions().watcherPrefix);
  }
  return new JsPublisher(js, timeoutMs);
}

/** A submit waiting for its PubAck. */
interface Waiting {
  readonly subject: string;
  /** performance.now() after which it times out. */
  readonly deadline: number;
  readonly resolve: (ack: PubAck) => void;
  readonly reject: (error: Error) => void;
}

/** A publish waiting for the end of the event-loop turn. */
interface Outgoing {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly token: string;
  readonly headers: MsgHdrs;
}

/** PubAcks on one reply subscription (see the file comment). */
export class InboxPublisher implements SubmitPublisher {
  readonly #nc: NatsConnection;
  readonly #timeoutMs: number;
  /** `_INBOX.<nuid>.`: reply subjects are this plus a number in base 36. */
  readonly #prefix: string;
  /** In publish order, so in deadline order: the timeout is the same for all. */
  readonly #waiting = new Map<string, Waiting>();
  #subscription: Subscription | undefined;
  /** This turn's publishes, sent together (after the subscription's SUB: the server knows the reply subjects first). */
  readonly #outgoing = new TurnBatch<Outgoing>((outgoing) => {
    this.#publishAll(outgoing);
  });
  #next = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  /** Publishes on `nc`; reply subjects under `inboxPrefix` (the connection's, default `_INBOX`). */
  constructor(nc: NatsConnection, timeoutMs: number, inboxPrefix?: string) {
    this.#nc = nc;
    this.#timeoutMs = timeoutMs;
    this.#prefix = `${createInbox(inboxPrefix)}.`;
  }

  get pending(): number {
    return this.#waiting.size;
  }

  publish(subject: string, data: Uint8Array, msgId: string, traceparent: string): Promise<PubAck> {
    if (this.#closed) return Promise.reject(new ClosedConnectionError());
    try {
      this.#subscription ??= this.#subscribe();
      const token = (this.#next++).toString(36);
      const h = headers();
      h.set(Header.msgId, msgId);
      h.set(Header.traceparent, traceparent);
      const { promise, resolve, reject } = Promise.withResolvers<PubAck>();
      this.#waiting.set(token, { subject, deadline: performance.now() + this.#timeoutMs, resolve, reject });
      this.#timer ??= setTimeout(this.#sweep, this.#timeoutMs).unref();
      this.#outgoing.push({ subject, data, token, headers: h });
      return promise;
    } catch (error) {
      // The reply subscription could not be made (closed or draining connection): nothing was queued.
      return Promise.reject(error instanceof Error ? error : new JetStreamError(String(error)));
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#outgoing.clear();
    this.#closed = true;
    this.#failAll(new ClosedConnectionError());
    this.#subscription?.unsubscribe();
  }

  #publishAll(outgoing: readonly Outgoing[]): void {
    for (const o of outgoing) {
      if (!this.#waiting.has(o.token)) continue; // failed meanwhile (connection closed)
      try {
        this.#nc.publish(o.subject, o.data, { reply: this.#prefix + o.token, headers: o.headers });
      } catch (error) {
        // Closed or draining connection, payload too large: nothing was sent for this one.
        this.#settleWithError(o.token, error instanceof Error ? error : new JetStreamError(String(error)));
      }
    }
  }

  #settleWithError(token: string, error: Error): void {
    const waiting = this.#waiting.get(token);
    if (waiting === undefined) return;
    this.#waiting.delete(token);
    waiting.reject(error);
  }

  #subscribe(): Subscription {
    const subscription = this.#nc.subscribe(`${this.#prefix}*`, { callback: this.#onReply });
    void subscription.closed.then(
      () => {
        this.#lost();
      },
      () => {
        this.#lost();
      },
    );
    return subscription;
  }

  /** The reply subscription ended (connection closed, or close()): nothing waiting can be answered any more. */
  #lost(): void {
    this.#subscription = undefined;
    this.#failAll(new ClosedConnectionError());
  }

  readonly #onReply = (error: Error | null, msg: Msg): void => {
    if (error !== null) {
      // The subscription failed (e.g. a permission violation): no PubAck will come for anything waiting.
      this.#failAll(error);
      return;
    }
    const token = msg.subject.slice(this.#prefix.length);
    const waiting = this.#waiting.get(token);
    if (waiting === undefined) return; // timed out already
    this.#waiting.delete(token);
    if (msg.data.length === 0 && msg.headers?.code === 503) {
      waiting.reject(new NoRespondersError(waiting.subject));
      return;
    }
    try {
      waiting.resolve(parsePubAck(msg.data));
    } catch (parseError) {
      waiting.reject(parseError instanceof Error ? parseError : new JetStreamError(String(parseError)));
    }
  };

  /** Times out what is past its deadline (the oldest first), then waits for the next oldest. */
  readonly #sweep = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    for (const [token, waiting] of this.#waiting) {
      if (waiting.deadline > now) {
        this.#timer = setTimeout(this.#sweep, waiting.deadline - now + 1).unref();
        return;
      }
      this.#waiting.delete(token);
      waiting.reject(new TimeoutError());
    }
  };

  #failAll(error: Error): void {
    const all = [...this.#waiting.values()];
    this.#waiting.clear();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const waiting of all) waiting.reject(error);
  }
}

/** A PubAck's body: the stream and sequence, or a JetStream API error. */
export function parsePubAck(data: Uint8Array): PubAck {
  const body: unknown = JSON.parse(
    Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'),
  );
  if (typeof body !== 'object' || body === null) throw new JetStreamError('invalid ack response');
  const ack = body as Partial<PubAck> & { error?: ConstructorParameters<typeof JetStreamApiError>[0] };
  if (ack.error !== undefined) throw new JetStreamApiError(ack.error);
  if (typeof ack.stream !== 'string' || ack.stream === '' || typeof ack.seq !== 'number') {
    throw new JetStreamError('invalid ack response');
  }
  return {
    stream: ack.stream,
    seq: ack.seq,
    duplicate: ack.duplicate === true,
    ...(ack.domain === undefined ? {} : { domain: ack.domain }),
  };
}

/** js.publish() for each submit: for a JetStreamClient that does not expose its connection. */
class JsPublisher implements SubmitPublisher {
  readonly #js: JetStreamClient;
  readonly #timeoutMs: number;
  #pending = 0;

  constructor(js: JetStreamClient, timeoutMs: number) {
    this.#js = js;
    this.#timeoutMs = timeoutMs;
  }

  get pending(): number {
    return this.#pending;
  }

  async publish(subject: string, data: Uint8Array, msgId: string, traceparent: string): Promise<PubAck> {
    const h = headers();
    h.set(Header.traceparent, traceparent);
    this.#pending++;
    try {
      return await this.#js.publish(subject, data, { msgID: msgId, headers: h, timeout: this.#timeoutMs });
    } finally {
      this.#pending--;
    }
  }

  close(): void {
    // js.publish() settles each request itself.
  }
}
