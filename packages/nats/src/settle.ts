/**
 * Settling JetStream messages, the same way in every service: ack, nak with
 * back-off, term. JsMsg acknowledgements are fire-and-forget protocol
 * messages; the only way one fails is a closed connection, and then the
 * server redelivers after ack_wait — so a failed settle is logged, never
 * thrown (docs/architecture.md, at-least-once).
 *
 * The back-off is exponential in the delivery count, from minMs doubling up to
 * maxMs, so that an outage is not hammered by every in-flight message at once;
 * deterministic (no jitter): the server spreads redeliveries by when each
 * message failed. Services keep their maxMs under the duplicate window of the
 * stream they publish to, so a publish whose PubAck was lost and is made again
 * is dropped as a duplicate.
 */
import type { JsMsg } from '@nats-io/jetstream';
import type { Logger } from '@smsgw/runtime';

/** Bounds of the exponential back-off between deliveries (or attempts) of something failing. */
export interface RetryPolicy {
  /** Delay after the first failure, in milliseconds. */
  readonly minMs: number;
  /** Longest delay, in milliseconds. */
  readonly maxMs: number;
}

/** The delay after the `count`-th failure (1 = first; lower counts as 1): minMs doubling per failure, at most maxMs. */
export function retryDelayMs(policy: RetryPolicy, count: number): number {
  const exponent = Math.max(0, Math.min(count - 1, 30));
  return Math.min(policy.maxMs, policy.minMs * 2 ** exponent);
}

/** Who settles: the service's logger and what its messages are called in log lines ('submit', 'status event'). */
export interface Settler {
  readonly logger: Logger;
  readonly kind: string;
}

/** Log fields of a settle. */
export type SettleFields = Readonly<Record<string, unknown>>;

/** First bytes of a poison message kept in its log line, so that it leaves a trace once terminated. */
export const POISON_SAMPLE_BYTES = 256;

/** Runs one acknowledgement; false (logged as a warning) when it could not be sent. */
function settleWith(settler: Settler, verb: string, action: () => void, fields: SettleFields): boolean {
  try {
    action();
    return true;
  } catch (error) {
    // Only a closed connection gets here; the server redelivers after ack_wait.
    settler.logger.warn(
      { ...fields, err: error },
      `could not ${verb} the ${settler.kind}; it will be redelivered`,
    );
    return false;
  }
}

/** Acks `m`; false when the ack could not be sent (logged). */
export function ackMessage(m: JsMsg, settler: Settler, fields: SettleFields): boolean {
  return settleWith(
    settler,
    'ack',
    () => {
      m.ack();
    },
    fields,
  );
}

/** Naks `m` for redelivery after `delayMs`; false when the nak could not be sent (logged). */
export function nakMessage(m: JsMsg, settler: Settler, delayMs: number, fields: SettleFields): boolean {
  return settleWith(
    settler,
    'nak',
    () => {
      m.nak(delayMs);
    },
    fields,
  );
}

/** Terminates `m` (never redelivered); false when the term could not be sent (logged). */
export function termMessage(m: JsMsg, settler: Settler, fields: SettleFields): boolean {
  // term() without a reason: a reason needs nats-server 2.11, and older servers ignore "+TERM <reason>".
  return settleWith(
    settler,
    'terminate',
    () => {
      m.term();
    },
    fields,
  );
}

/**
 * Naks `m` with the back-off of its delivery count, after a warning `message`
 * carrying `fields`, the delivery count, the delay and `error`. Returns the delay.
 */
export function retryLater(
  m: JsMsg,
  settler: Settler,
  retry: RetryPolicy,
  fields: SettleFields,
  error: unknown,
  message: string,
): number {
  const deliveryCount = m.info.deliveryCount;
  const delayMs = retryDelayMs(retry, deliveryCount);
  const logged = { ...fields, delivery_count: deliveryCount };
  settler.logger.warn({ ...logged, delay_ms: delayMs, err: error }, message);
  nakMessage(m, settler, delayMs, logged);
  return delayMs;
}

/**
 * Terminates a message that can never be handled, after an error `message`
 * carrying `fields`, where it stood (stream sequence, subject, delivery count),
 * its size and its first POISON_SAMPLE_BYTES bytes in base64.
 */
export function terminatePoison(
  m: JsMsg,
  settler: Settler,
  fields: SettleFields,
  error: unknown,
  message: string,
): void {
  const logged = {
    ...fields,
    stream_seq: m.seq,
    subject: m.subject,
    delivery_count: m.info.deliveryCount,
    size: m.data.length,
    data_base64: Buffer.from(m.data.subarray(0, POISON_SAMPLE_BYTES)).toString('base64'),
  };
  settler.logger.error({ ...logged, err: error }, message);
  termMessage(m, settler, logged);
}
