/** Bounds of the exponential back-off between deliveries of a failing message. */
export interface RetryPolicy {
  /** Delay after the first failed delivery. */
  readonly minMs: number;
  /** The longest delay. */
  readonly maxMs: number;
}

/**
 * How long to nak a message that failed on its `deliveryCount`-th delivery:
 * minMs, doubling per delivery, at most maxMs. Deterministic (no jitter): the
 * server spreads redeliveries by when each message failed.
 */
export function retryDelayMs(deliveryCount: number, policy: RetryPolicy): number {
  const exponent = Math.min(Math.max(deliveryCount, 1) - 1, 30);
  return Math.min(policy.maxMs, policy.minMs * 2 ** exponent);
}
