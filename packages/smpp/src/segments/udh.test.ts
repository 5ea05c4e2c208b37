import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { SmppError } from '../errors.ts';
import { packSeptets, udhFillBits } from '../text/gsm7-packing.ts';
import { encodeGsm7 } from '../text/gsm7.ts';
import { SegmentError } from './segment-error.ts';
import { buildConcatUdh, IEI_CONCAT_16BIT, IEI_CONCAT_8BIT, parseUdh } from './udh.ts';

// A fixed seed keeps the suite deterministic; change it locally to explore further.
fc.configureGlobal({ seed: 0x5eed });

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const bytes = (hexString: string) => Uint8Array.from(Buffer.from(hexString.replace(/\s/g, ''), 'hex'));

function segmentError(fn: () => unknown): SegmentError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SegmentError);
    return error as SegmentError;
  }
  throw new Error('expected a SegmentError');
}

describe('buildConcatUdh', () => {
  it('builds the 8-bit and 16-bit reference forms', () => {
    expect(hex(buildConcatUdh({ reference: 0xa7, total: 2, sequence: 1 }))).toBe('050003A70201');
    expect(hex(buildConcatUdh({ reference: 0x1234, total: 3, sequence: 3 }, 16))).toBe('060804123403' + '03');
  });

  it('makes the docs/smpp-reference.md §6.2 packed vector with "Hi"', () => {
    const udh = buildConcatUdh({ reference: 0xa7, total: 2, sequence: 1 });
    const body = packSeptets(encodeGsm7('Hi'), udhFillBits(udh.length));
    expect(hex(Uint8Array.of(...udh, ...body))).toBe('050003A702019069');
  });

  it('rejects values out of range with ESME_RINVOPTPARAMVAL', () => {
    for (const [concat, bits] of [
      [{ reference: 256, total: 2, sequence: 1 }, 8],
      [{ reference: 65_536, total: 2, sequence: 1 }, 16],
      [{ reference: -1, total: 2, sequence: 1 }, 8],
      [{ reference: 1, total: 0, sequence: 1 }, 8],
      [{ reference: 1, total: 256, sequence: 1 }, 8],
      [{ reference: 1, total: 2, sequence: 0 }, 8],
      [{ reference: 1, total: 2, sequence: 3 }, 16],
      [{ reference: 1.5, total: 2, sequence: 1 }, 8],
    ] as const) {
      expect(segmentError(() => buildConcatUdh(concat, bits)).commandStatus).toBe(
        CommandStatus.ESME_RINVOPTPARAMVAL,
      );
    }
  });
});

describe('parseUdh', () => {
  it('parses an 8-bit concatenation UDH and returns the rest as payload', () => {
    const parsed = parseUdh(bytes('050003A70201 4869'));
    expect(parsed.concat).toEqual({ reference: 0xa7, total: 2, sequence: 1, refBits: 8 });
    expect(hex(parsed.header)).toBe('050003A70201');
    expect(hex(parsed.payload)).toBe('4869');
    expect(parsed.elements).toHaveLength(1);
    expect(parsed.elements[0]?.iei).toBe(IEI_CONCAT_8BIT);
  });

  it('parses a 16-bit concatenation UDH', () => {
    const parsed = parseUdh(bytes('06080412340302 00480069'));
    expect(parsed.concat).toEqual({ reference: 0x1234, total: 3, sequence: 2, refBits: 16 });
    expect(parsed.elements[0]?.iei).toBe(IEI_CONCAT_16BIT);
    expect(hex(parsed.payload)).toBe('00480069');
  });

  it('parses the node-smpp national language shift UDH (docs/smpp-reference.md §8.1) without concat', () => {
    const parsed = parseUdh(bytes('03240103 747B7374'));
    expect(parsed.concat).toBeUndefined();
    expect(parsed.elements).toEqual([{ iei: 0x24, data: Uint8Array.of(0x03) }]);
    expect(hex(parsed.payload)).toBe('747B7374');
  });

  it('reads several IEs, ports and concat together, with the last concat winning', () => {
    const parsed = parseUdh(bytes('10 0504 0B84 23F0 0003 010201 0003 090302 41'));
    expect(parsed.elements.map((e) => e.iei)).toEqual([0x05, 0x00, 0x00]);
    expect(hex(parsed.elements[0]?.data ?? new Uint8Array(0))).toBe('0B8423F0');
    expect(parsed.concat).toEqual({ reference: 9, total: 3, sequence: 2, refBits: 8 });
    expect(hex(parsed.payload)).toBe('41');
  });

  it('accepts an empty UDH and a message that is only a UDH', () => {
    expect(parseUdh(bytes('00 41')).elements).toEqual([]);
    expect(parseUdh(bytes('050003010101')).payload).toHaveLength(0);
  });

  it('ignores a concat IE with total 0, sequence 0 or sequence > total (23.040)', () => {
    for (const udh of ['050003010001', '050003010200', '050003010203', '0608040001 0203']) {
      const parsed = parseUdh(bytes(udh));
      expect(parsed.concat, udh).toBeUndefined();
      expect(parsed.elements).toHaveLength(1);
    }
  });

  it('rejects malformed headers with ESME_RINVMSGLEN', () => {
    for (const input of [
      '', // UDHI but nothing
      '05 0003A702', // UDHL past the end
      '01 00', // IE header cut by UDHL
      '03 0003A7', // IE data past UDHL
      '04 000201 02', // 8-bit concat of length 2
      '06 000401020301', // 8-bit concat of length 4
      '05 080301 0201', // 16-bit concat of length 3
    ]) {
      const error = segmentError(() => parseUdh(bytes(input)));
      expect(error.commandStatus, input).toBe(CommandStatus.ESME_RINVMSGLEN);
    }
  });

  it('round-trips built headers', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<8 | 16>(8, 16),
        fc.integer({ min: 1, max: 255 }).chain((total) =>
          fc.record({
            total: fc.constant(total),
            sequence: fc.integer({ min: 1, max: total }),
            reference: fc.integer({ min: 0, max: 0xffff }),
          }),
        ),
        fc.uint8Array({ maxLength: 140 }),
        (bits, { total, sequence, reference }, payload) => {
          const concat = { reference: bits === 8 ? reference & 0xff : reference, total, sequence };
          const udh = buildConcatUdh(concat, bits);
          const parsed = parseUdh(Uint8Array.of(...udh, ...payload));
          expect(parsed.concat).toEqual({ ...concat, refBits: bits });
          expect(parsed.payload).toEqual(payload);
          expect(parsed.header).toEqual(udh);
        },
      ),
    );
  });

  it('never throws anything but SegmentError on random octets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (input) => {
        try {
          const parsed = parseUdh(input);
          expect(parsed.header.length + parsed.payload.length).toBe(input.length);
        } catch (error) {
          expect(error).toBeInstanceOf(SmppError);
          expect(error).toBeInstanceOf(SegmentError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
