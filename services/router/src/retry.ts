/**
 * How long a failed submit waits before its next delivery (the nak delay).
 *
 * Exponential in the delivery count, from minMs doubling up to maxMs, so that
 * a NATS or KV outage is not hammered by every in-flight submit at once. The
 * cap stays under the SMS_ROUTE duplicate window (2 min): when an attempt's
 * publish was stored but its PubAck was lost, the next attempt publishes again
 * and JetStream drops it as a duplicate only inside that window.
 */
export interface RetryPolicy {
  /** Delay after the first failed delivery, in milliseconds. */
  readonly minMs: number;
  /** Longest delay, in milliseconds. */
  readonly maxMs: number;
}

/** The delay before redelivering a submit that failed on its `deliveryCount`-th delivery (1 = first). */
export function retryDelayMs(policy: RetryPolicy, deliveryCount: number): number {
  const exponent = Math.max(0, Math.min(deliveryCount - 1, 30));
  return Math.min(policy.maxMs, policy.minMs * 2 ** exponent);
}
