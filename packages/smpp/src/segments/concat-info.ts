/**
 * The three numbers that tie the parts of a concatenated message together,
 * whether carried in a UDH (3GPP TS 23.040 §9.2.3.24.1/.8) or in the SAR TLVs
 * (SMPP 3.4 §5.3.2.22–24).
 */
import { MAX_PARTS } from './segment-limits.ts';

/** Concatenation reference, total number of parts and this part's 1-based sequence number. */
export interface ConcatInfo {
  readonly reference: number;
  readonly total: number;
  readonly sequence: number;
}

/**
 * Why the numbers are unusable, or undefined when they are fine: the reference
 * must fit `maxReference`, total be 1..255 and sequence 1..total.
 */
export function concatProblem(concat: ConcatInfo, maxReference: number): string | undefined {
  const { reference, total, sequence } = concat;
  if (!Number.isInteger(reference) || reference < 0 || reference > maxReference) {
    return `reference ${reference} is not in 0..${maxReference}`;
  }
  if (!Number.isInteger(total) || total < 1 || total > MAX_PARTS)
    return `total ${total} is not in 1..${MAX_PARTS}`;
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > total) {
    return `sequence ${sequence} is not in 1..${total}`;
  }
  return undefined;
}
