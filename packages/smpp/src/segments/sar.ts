/**
 * SAR TLVs (SMPP 3.4 §5.3.2.22–24): sar_msg_ref_num (2 octets),
 * sar_total_segments and sar_segment_seqnum (1 octet each) mark a submit as one
 * part of a concatenated message without a UDH; the MC builds the UDH.
 */
import { CommandStatus } from '../constants/command-status.ts';
import type { Tlvs } from '../constants/tlv.ts';
import type { ConcatInfo } from './concat-info.ts';
import { concatProblem } from './concat-info.ts';
import { SegmentError } from './segment-error.ts';

/**
 * The concatenation info in a PDU's TLVs, or undefined when it has no SAR TLVs.
 * SegmentError with ESME_RMISSINGOPTPARAM when only some of the three are present,
 * ESME_RINVOPTPARAMVAL when total is 0 or the sequence is 0 or above total.
 */
export function readSar(tlvs: Tlvs): ConcatInfo | undefined {
  const { sarMsgRefNum: reference, sarTotalSegments: total, sarSegmentSeqnum: sequence } = tlvs;
  if (reference === undefined && total === undefined && sequence === undefined) return undefined;
  if (reference === undefined || total === undefined || sequence === undefined) {
    throw new SegmentError(
      CommandStatus.ESME_RMISSINGOPTPARAM,
      'sar_msg_ref_num, sar_total_segments and sar_segment_seqnum must come together',
    );
  }
  const concat = { reference, total, sequence };
  const problem = concatProblem(concat, 0xffff);
  if (problem !== undefined)
    throw new SegmentError(CommandStatus.ESME_RINVOPTPARAMVAL, `invalid SAR TLVs: ${problem}`);
  return concat;
}

/** Sets the three SAR TLVs on `tlvs` and returns it; SegmentError (ESME_RINVOPTPARAMVAL) for values out of range. */
export function writeSar(tlvs: Tlvs, concat: ConcatInfo): Tlvs {
  const problem = concatProblem(concat, 0xffff);
  if (problem !== undefined)
    throw new SegmentError(CommandStatus.ESME_RINVOPTPARAMVAL, `cannot write SAR TLVs: ${problem}`);
  tlvs.sarMsgRefNum = concat.reference;
  tlvs.sarTotalSegments = concat.total;
  tlvs.sarSegmentSeqnum = concat.sequence;
  return tlvs;
}
