/**
 * Exact segment counts and splitting (docs/smpp-reference.md §6.3), from payload octets in
 * a data_coding (what a gateway receives, e.g. in message_payload) or from
 * text. Parts are filled greedily, which gives the fewest parts, and a cut
 * never falls inside a GSM-7 escape pair or a UTF-16 surrogate pair. A message
 * that fits one SMS is one part, the empty message included.
 */
import type { Alphabet } from '../constants/data-coding.ts';
import { CommandStatus } from '../constants/command-status.ts';
import { TextCodingError } from '../errors.ts';
import { GSM7_ENCODE, GSM7_ESCAPE } from '../text/gsm7-tables.ts';
import { encodeText, requireAlphabet } from '../text/text-codec.ts';
import { SegmentError } from './segment-error.ts';
import type { RefBits } from './segment-limits.ts';
import { MAX_PARTS, segmentLimits } from './segment-limits.ts';

/** Options of the segmenting functions. */
export interface SegmentOptions {
  /** Concatenation reference width the parts will carry; 8 (default) or 16 leaves one unit less per part. */
  readonly refBits?: RefBits;
}

interface Plan {
  readonly alphabet: Alphabet;
  /** Whole payload fits one SMS. */
  readonly single: boolean;
  /** Payload octets per part when concatenated. */
  readonly perPartOctets: number;
}

function planFor(payload: Uint8Array, dataCoding: number, options: SegmentOptions): Plan {
  const alphabet = requireAlphabet(dataCoding);
  const limits = segmentLimits(alphabet, options.refBits ?? 8);
  const octetsPerUnit = alphabet === 'ucs2' ? 2 : 1;
  if (octetsPerUnit === 2 && (payload.length & 1) !== 0) {
    throw new TextCodingError(
      `UCS-2 payload has an odd length of ${payload.length} octets`,
      CommandStatus.ESME_RINVMSGLEN,
    );
  }
  return {
    alphabet,
    single: payload.length <= limits.single * octetsPerUnit,
    perPartOctets: limits.perPart * octetsPerUnit,
  };
}

/** End (exclusive) of the part that starts at `start`, moved back one unit rather than split a pair. */
function cutEnd(payload: Uint8Array, start: number, plan: Plan): number {
  const end = start + plan.perPartOctets;
  if (end >= payload.length) return payload.length;
  if (plan.alphabet === 'gsm7') {
    // Parts start on a character boundary, so within a run of escapes they alternate
    // escape/code: the octet before the cut opens a pair iff the run ending there is odd.
    let run = 0;
    for (let i = end - 1; i >= start && payload[i] === GSM7_ESCAPE; i--) run++;
    return (run & 1) === 1 ? end - 1 : end;
  }
  if (plan.alphabet === 'ucs2') {
    const before = payload[end - 2] ?? 0;
    const after = payload[end] ?? 0;
    if (before >= 0xd8 && before <= 0xdb && after >= 0xdc && after <= 0xdf) return end - 2;
  }
  return end;
}

function tooManyParts(payload: Uint8Array, plan: Plan): SegmentError {
  return new SegmentError(
    CommandStatus.ESME_RINVMSGLEN,
    `a ${payload.length}-octet ${plan.alphabet} payload needs more than ${MAX_PARTS} parts`,
  );
}

/** End offsets of the parts of `payload`, at most MAX_PARTS of them. */
function cuts(payload: Uint8Array, plan: Plan): number[] {
  if (plan.single) return [payload.length];
  const ends: number[] = [];
  for (let start = 0; start < payload.length;) {
    if (ends.length === MAX_PARTS) throw tooManyParts(payload, plan);
    start = cutEnd(payload, start, plan);
    ends.push(start);
  }
  return ends;
}

/**
 * Number of SMS parts a payload in `dataCoding` takes (1 when it fits one SMS).
 * TextCodingError for unsupported codings or odd UCS-2; SegmentError
 * (ESME_RINVMSGLEN) beyond 255 parts.
 */
export function countPayloadSegments(
  payload: Uint8Array,
  dataCoding: number,
  options: SegmentOptions = {},
): number {
  const plan = planFor(payload, dataCoding, options);
  if (plan.single) return 1;
  let count = 0;
  for (let start = 0; start < payload.length; count++) {
    if (count === MAX_PARTS) throw tooManyParts(payload, plan);
    start = cutEnd(payload, start, plan);
  }
  return count;
}

/**
 * A payload cut into the chunks each SMS part carries (views into `payload`,
 * not copies); one chunk when it fits one SMS. Throws as `countPayloadSegments`.
 */
export function splitPayload(
  payload: Uint8Array,
  dataCoding: number,
  options: SegmentOptions = {},
): Uint8Array[] {
  const plan = planFor(payload, dataCoding, options);
  let start = 0;
  return cuts(payload, plan).map((end) => {
    const chunk = payload.subarray(start, end);
    start = end;
    return chunk;
  });
}

/** Number of SMS parts `text` takes in `dataCoding`; throws what `encodeText` and `countPayloadSegments` throw. */
export function countSegments(text: string, dataCoding: number, options: SegmentOptions = {}): number {
  return countPayloadSegments(encodeText(text, dataCoding), dataCoding, options);
}

/**
 * `text` cut where `splitPayload` cuts its encoding: substrings of `text` that
 * join back to it, each fitting one part.
 */
export function splitText(text: string, dataCoding: number, options: SegmentOptions = {}): string[] {
  const payload = encodeText(text, dataCoding);
  const plan = planFor(payload, dataCoding, options);
  const ends = cuts(payload, plan);
  if (ends.length === 1) return [text];
  const parts: string[] = [];
  if (plan.alphabet === 'gsm7') {
    // Map septet offsets back to string indices: each character is one or two septets.
    let index = 0;
    let septets = 0;
    for (const end of ends) {
      const from = index;
      while (septets < end) septets += (GSM7_ENCODE[text.charCodeAt(index++)] ?? 0) > 0xff ? 2 : 1;
      parts.push(text.slice(from, index));
    }
    return parts;
  }
  // One code unit per octet (8-bit) or per two octets (UCS-2).
  const octetsPerUnit = plan.alphabet === 'ucs2' ? 2 : 1;
  let from = 0;
  for (const end of ends) {
    parts.push(text.slice(from, end / octetsPerUnit));
    from = end / octetsPerUnit;
  }
  return parts;
}
