import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import type { Tlvs } from '../constants/tlv.ts';
import { readSar, writeSar } from './sar.ts';
import { SegmentError } from './segment-error.ts';

function statusOf(fn: () => unknown): number {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SegmentError);
    return (error as SegmentError).commandStatus;
  }
  throw new Error('expected a SegmentError');
}

describe('SAR TLVs', () => {
  it('writes and reads back the three TLVs', () => {
    const tlvs: Tlvs = { userMessageReference: 7 };
    expect(writeSar(tlvs, { reference: 0xbeef, total: 3, sequence: 2 })).toBe(tlvs);
    expect(tlvs).toEqual({
      userMessageReference: 7,
      sarMsgRefNum: 0xbeef,
      sarTotalSegments: 3,
      sarSegmentSeqnum: 2,
    });
    expect(readSar(tlvs)).toEqual({ reference: 0xbeef, total: 3, sequence: 2 });
  });

  it('reads nothing from TLVs without SAR', () => {
    expect(readSar({})).toBeUndefined();
    expect(readSar({ messagePayload: new Uint8Array(3) })).toBeUndefined();
  });

  it('rejects an incomplete set with ESME_RMISSINGOPTPARAM', () => {
    expect(statusOf(() => readSar({ sarMsgRefNum: 1 }))).toBe(CommandStatus.ESME_RMISSINGOPTPARAM);
    expect(statusOf(() => readSar({ sarMsgRefNum: 1, sarTotalSegments: 2 }))).toBe(
      CommandStatus.ESME_RMISSINGOPTPARAM,
    );
    expect(statusOf(() => readSar({ sarSegmentSeqnum: 1 }))).toBe(CommandStatus.ESME_RMISSINGOPTPARAM);
  });

  it('rejects total 0, sequence 0 and sequence > total with ESME_RINVOPTPARAMVAL', () => {
    for (const [total, sequence] of [
      [0, 0],
      [0, 1],
      [2, 0],
      [2, 3],
    ] as const) {
      const tlvs = { sarMsgRefNum: 1, sarTotalSegments: total, sarSegmentSeqnum: sequence };
      expect(statusOf(() => readSar(tlvs))).toBe(CommandStatus.ESME_RINVOPTPARAMVAL);
    }
    expect(statusOf(() => writeSar({}, { reference: 65_536, total: 1, sequence: 1 }))).toBe(
      CommandStatus.ESME_RINVOPTPARAMVAL,
    );
    expect(statusOf(() => writeSar({}, { reference: 1, total: 256, sequence: 1 }))).toBe(
      CommandStatus.ESME_RINVOPTPARAMVAL,
    );
  });
});
