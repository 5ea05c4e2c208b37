/**
 * sequence_number allocation (SMPP 3.4 §3.2, §5.1.4): requests are numbered
 * 0x00000001..0x7FFFFFFF and the counter wraps back to 1, never 0.
 */

/** The largest sequence_number the spec allows. */
export const MAX_SEQUENCE_NUMBER = 0x7fffffff;

/** The sequence_number that follows `current` (wraps from 0x7FFFFFFF, or anything out of range, to 1). */
export function nextSequenceNumber(current: number): number {
  return current >= 1 && current < MAX_SEQUENCE_NUMBER ? current + 1 : 1;
}

/** A per-session counter of request sequence numbers. */
export class SequenceGenerator {
  private current: number;

  /** `last` is the number handed out before the first `next()` (so the first is `last + 1`). */
  constructor(last = 0) {
    this.current = last;
  }

  /** The next sequence_number. */
  next(): number {
    this.current = nextSequenceNumber(this.current);
    return this.current;
  }

  /** The number `next()` returned last (0 before the first call). */
  get last(): number {
    return this.current;
  }
}
