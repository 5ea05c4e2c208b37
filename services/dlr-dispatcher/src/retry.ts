/**
 * How long a failed status event waits before its next delivery (the nak
 * delay): exponential in the delivery count, from minMs doubling up to maxMs,
 * so that an outage is not hammered by every in-flight event at once. The cap
 * stays under the SMS_DLR duplicate window (2 min), so a report stored whose
 * PubAck was lost is dropped as a duplicate when the retry publishes it again.
 */
export interface RetryPolicy {
  /** Delay after the first failed delivery, in milliseconds. */
  readonly minMs: number;
  /** Longest delay, in milliseconds. */
  readonly maxMs: number;
}

/** The delay before redelivering an event that failed on its `deliveryCount`-th delivery (1 = first). */
export function retryDelayMs(policy: RetryPolicy, deliveryCount: number): number {
  const exponent = Math.max(0, Math.min(deliveryCount - 1, 30));
  return Math.min(policy.maxMs, policy.minMs * 2 ** exponent);
}
