/**
 * W3C trace context for an accepted submit (DESIGN.md invariant 6): the edge
 * starts each message's trace, so it makes a fresh traceparent (version 00,
 * random trace and span ids, sampled) that travels in the NATS headers and in
 * the SubmitAccepted itself.
 */
import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(24 * 256);
let offset = pool.length;

/** A new `00-<trace id>-<span id>-01` traceparent. */
export function newTraceparent(): string {
  // Random bytes are drawn 256 contexts at a time: one syscall instead of one per message.
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + 24);
  offset += 24;
  return `00-${hex.slice(0, 32)}-${hex.slice(32)}-01`;
}
