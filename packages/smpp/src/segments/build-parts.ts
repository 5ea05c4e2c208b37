/**
 * What to put in each submit_sm of a message: one part when it fits one SMS,
 * otherwise the parts of `splitPayload`, each marked either with a
 * concatenation UDH in short_message (esm_class UDHI) or with the SAR TLVs
 * (docs/smpp-reference.md §6.4 (a) and (b)). GSM-7 stays unpacked after the UDH, as SMPP
 * carries it; the MC packs and adds the fill bits.
 */
import { CommandStatus } from '../constants/command-status.ts';
import { EsmClass } from '../constants/esm-class.ts';
import type { Tlvs } from '../constants/tlv.ts';
import { encodeText } from '../text/text-codec.ts';
import { concatProblem } from './concat-info.ts';
import { writeSar } from './sar.ts';
import { SegmentError } from './segment-error.ts';
import type { RefBits } from './segment-limits.ts';
import { concatUdhLength } from './segment-limits.ts';
import { splitPayload } from './split.ts';
import { buildConcatUdh } from './udh.ts';

/** How to split and mark the parts. */
export interface BuildPartsOptions {
  /** `udh`: concatenation UDH in short_message; `sar`: SAR TLVs, the MC builds the UDH. */
  readonly mode: 'udh' | 'sar';
  /** Concatenation reference shared by all parts: 0..255 for an 8-bit UDH, else 0..65535. */
  readonly reference: number;
  /**
   * Reference width of the UDH (default 8). With `sar` it only sizes the parts
   * for the UDH the MC is expected to build; the TLV itself is always 16-bit.
   */
  readonly refBits?: RefBits;
}

/** One submit_sm worth of a message. */
export interface MessagePart {
  /** The short_message: UDH + chunk in `udh` mode, the chunk alone otherwise. */
  readonly shortMessage: Uint8Array;
  /** Bits to OR into the submit's esm_class: EsmClass.UDHI in `udh` mode, else 0. */
  readonly esmClassFlags: number;
  /** The SAR TLVs in `sar` mode, else empty; merge into the submit's TLVs. */
  readonly tlvs: Tlvs;
}

/**
 * Splits text (encoded in `dataCoding`) or an already encoded payload into
 * submit_sm parts. Throws TextCodingError for text the coding cannot carry and
 * SegmentError for more than 255 parts (ESME_RINVMSGLEN) or a bad reference
 * (ESME_RINVOPTPARAMVAL).
 */
export function buildParts(
  input: string | Uint8Array,
  dataCoding: number,
  options: BuildPartsOptions,
): MessagePart[] {
  const refBits = options.refBits ?? 8;
  const maxReference = options.mode === 'udh' && refBits === 8 ? 0xff : 0xffff;
  const referenceProblem = concatProblem(
    { reference: options.reference, total: 1, sequence: 1 },
    maxReference,
  );
  if (referenceProblem !== undefined) {
    throw new SegmentError(CommandStatus.ESME_RINVOPTPARAMVAL, `cannot build parts: ${referenceProblem}`);
  }
  const payload = typeof input === 'string' ? encodeText(input, dataCoding) : input;
  const chunks = splitPayload(payload, dataCoding, { refBits });
  if (chunks.length === 1) return [{ shortMessage: payload, esmClassFlags: 0, tlvs: {} }];
  const total = chunks.length;
  return chunks.map((chunk, index) => {
    const concat = { reference: options.reference, total, sequence: index + 1 };
    if (options.mode === 'sar') return { shortMessage: chunk, esmClassFlags: 0, tlvs: writeSar({}, concat) };
    const shortMessage = new Uint8Array(concatUdhLength(refBits) + chunk.length);
    const udh = buildConcatUdh(concat, refBits);
    shortMessage.set(udh);
    shortMessage.set(chunk, udh.length);
    return { shortMessage, esmClassFlags: EsmClass.UDHI, tlvs: {} };
  });
}
