/**
 * User Data Header (3GPP TS 23.040 §9.2.3.24) at the start of short_message
 * when esm_class has UDHI: UDHL, then information elements (IEI, IEDL, data).
 *
 * A malformed UDH (UDHL past the end of the message, an IE overrunning the
 * header, a concatenation IE of the wrong length) is a SegmentError with
 * ESME_RINVMSGLEN: the length fields inside short_message disagree with its
 * length. ESME_RINVESMCLASS would tell the client its esm_class is wrong,
 * which misleads when UDHI is meant and only the header bytes are bad.
 */
import { CommandStatus } from '../constants/command-status.ts';
import type { ConcatInfo } from './concat-info.ts';
import { concatProblem } from './concat-info.ts';
import { SegmentError } from './segment-error.ts';
import type { RefBits } from './segment-limits.ts';

/** IEI of concatenated short messages with an 8-bit reference. */
export const IEI_CONCAT_8BIT = 0x00;
/** IEI of concatenated short messages with a 16-bit reference. */
export const IEI_CONCAT_16BIT = 0x08;

/** One information element of a UDH; `data` is a view into the message. */
export interface InformationElement {
  readonly iei: number;
  readonly data: Uint8Array;
}

/** Concatenation info found in a UDH, with the width of its reference. */
export interface UdhConcat extends ConcatInfo {
  readonly refBits: RefBits;
}

/** A short_message split into its UDH and the rest; all arrays are views into the input. */
export interface ParsedUdh {
  /** The whole header, UDHL octet included. */
  readonly header: Uint8Array;
  readonly elements: readonly InformationElement[];
  /**
   * The concatenation IE, if present and usable. The last one wins when repeated;
   * total 0, sequence 0 or sequence > total make it undefined (23.040: the
   * receiver ignores such an IE), though it stays in `elements`.
   */
  readonly concat: UdhConcat | undefined;
  /** The octets after the header: the text or data of this part. */
  readonly payload: Uint8Array;
}

function malformed(message: string): SegmentError {
  return new SegmentError(CommandStatus.ESME_RINVMSGLEN, `malformed UDH: ${message}`);
}

function concatOf(iei: number, data: Uint8Array): UdhConcat | undefined {
  const wide = iei === IEI_CONCAT_16BIT;
  const expected = wide ? 4 : 3;
  if (data.length !== expected) {
    throw malformed(
      `concatenation IE 0x${iei.toString(16).padStart(2, '0')} has length ${data.length}, not ${expected}`,
    );
  }
  const reference = wide ? ((data[0] ?? 0) << 8) | (data[1] ?? 0) : (data[0] ?? 0);
  const concat: UdhConcat = {
    reference,
    total: data[expected - 2] ?? 0,
    sequence: data[expected - 1] ?? 0,
    refBits: wide ? 16 : 8,
  };
  return concatProblem(concat, wide ? 0xffff : 0xff) === undefined ? concat : undefined;
}

/** Parses the UDH at the start of a short_message whose esm_class has UDHI; SegmentError (ESME_RINVMSGLEN) when malformed. */
export function parseUdh(shortMessage: Uint8Array): ParsedUdh {
  if (shortMessage.length === 0) throw malformed('UDHI is set but the message is empty');
  const udhl = shortMessage[0] ?? 0;
  const headerEnd = 1 + udhl;
  if (headerEnd > shortMessage.length) {
    throw malformed(`UDHL ${udhl} runs past the ${shortMessage.length}-octet message`);
  }
  const elements: InformationElement[] = [];
  let concat: UdhConcat | undefined;
  let offset = 1;
  while (offset < headerEnd) {
    if (offset + 2 > headerEnd) throw malformed(`IE header at offset ${offset} runs past UDHL ${udhl}`);
    const iei = shortMessage[offset] ?? 0;
    const length = shortMessage[offset + 1] ?? 0;
    const dataEnd = offset + 2 + length;
    if (dataEnd > headerEnd)
      throw malformed(`IE 0x${iei.toString(16).padStart(2, '0')} runs past UDHL ${udhl}`);
    const data = shortMessage.subarray(offset + 2, dataEnd);
    elements.push({ iei, data });
    if (iei === IEI_CONCAT_8BIT || iei === IEI_CONCAT_16BIT) concat = concatOf(iei, data);
    offset = dataEnd;
  }
  return {
    header: shortMessage.subarray(0, headerEnd),
    elements,
    concat,
    payload: shortMessage.subarray(headerEnd),
  };
}

/**
 * The concatenation UDH for one part: `05 00 03 RR TT SS` (8-bit reference) or
 * `06 08 04 RRRR TT SS` (16-bit). SegmentError (ESME_RINVOPTPARAMVAL) for values out of range.
 */
export function buildConcatUdh(concat: ConcatInfo, refBits: RefBits = 8): Uint8Array {
  const problem = concatProblem(concat, refBits === 8 ? 0xff : 0xffff);
  if (problem !== undefined)
    throw new SegmentError(CommandStatus.ESME_RINVOPTPARAMVAL, `cannot build UDH: ${problem}`);
  const { reference, total, sequence } = concat;
  return refBits === 8
    ? Uint8Array.of(0x05, IEI_CONCAT_8BIT, 0x03, reference, total, sequence)
    : Uint8Array.of(0x06, IEI_CONCAT_16BIT, 0x04, reference >> 8, reference & 0xff, total, sequence);
}
