/**
 * W3C trace context for an accepted submit (docs/architecture.md invariant 6): the edge
 * starts each message's trace, so it makes a fresh traceparent (version 00,
 * random trace and span ids, sampled) that travels in the NATS headers and in
 * the SubmitAccepted itself.
 */
import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(24 * 256);
/** The pool in hex (48 characters per context), made once per refill: one hex conversion per 256 messages. */
let hex = '';
let offset = 0;

/** A new `00-<trace id>-<span id>-01` traceparent. */
export function newTraceparent(): string {
  // Random bytes are drawn 256 contexts at a time: one syscall instead of one per message.
  if (offset === hex.length) {
    randomFillSync(pool);
    hex = pool.toString('hex');
    offset = 0;
  }
  const start = offset;
  offset += 48;
  return `00-${hex.slice(start, start + 32)}-${hex.slice(start + 32, offset)}-01`;
}
