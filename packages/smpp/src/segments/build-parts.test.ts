import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { packedLength, udhFillBits } from '../text/gsm7-packing.ts';
import { decodeText, encodeText } from '../text/text-codec.ts';
import { buildParts } from './build-parts.ts';
import { readSar } from './sar.ts';
import { SegmentError } from './segment-error.ts';
import { parseUdh } from './udh.ts';

// A fixed seed keeps the suite deterministic; change it locally to explore further.
fc.configureGlobal({ seed: 0x5eed });

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

describe('buildParts', () => {
  it('sends a message that fits one SMS as is, without UDH or SAR', () => {
    for (const mode of ['udh', 'sar'] as const) {
      const [part, ...rest] = buildParts('Hello €5 {ok}', 0, { mode, reference: 1 });
      expect(rest).toEqual([]);
      expect(hex(part!.shortMessage)).toBe('48656C6C6F201B6535201B286F6B1B29');
      expect(part!.esmClassFlags).toBe(0);
      expect(part!.tlvs).toEqual({});
    }
  });

  it('prefixes each part with an 8-bit concatenation UDH and sets UDHI', () => {
    const parts = buildParts('a'.repeat(161), 0, { mode: 'udh', reference: 0xa7 });
    expect(parts).toHaveLength(2);
    expect(hex(parts[0]!.shortMessage.subarray(0, 6))).toBe('050003A70201');
    expect(parts[0]!.shortMessage).toHaveLength(6 + 153);
    expect(hex(parts[1]!.shortMessage)).toBe('050003A70202' + '61'.repeat(8));
    expect(parts.every((p) => p.esmClassFlags === 0x40)).toBe(true);
    expect(parts.every((p) => Object.keys(p.tlvs).length === 0)).toBe(true);
  });

  it('uses 16-bit references and their smaller parts when asked', () => {
    const parts = buildParts('я'.repeat(71), 8, { mode: 'udh', reference: 0x1234, refBits: 16 });
    expect(parts.map((p) => p.shortMessage.length)).toEqual([7 + 132, 7 + 10]);
    expect(hex(parts[1]!.shortMessage.subarray(0, 7))).toBe('06080412340202');
  });

  it('marks parts with SAR TLVs and no UDH in sar mode', () => {
    const payload = new Uint8Array(300).map((_, i) => i & 0xff);
    const parts = buildParts(payload, 4, { mode: 'sar', reference: 0xbeef });
    expect(parts.map((p) => p.shortMessage.length)).toEqual([134, 134, 32]);
    parts.forEach((part, index) => {
      expect(part.esmClassFlags).toBe(0);
      expect(readSar(part.tlvs)).toEqual({ reference: 0xbeef, total: 3, sequence: index + 1 });
    });
  });

  it('rejects references out of range with ESME_RINVOPTPARAMVAL', () => {
    for (const options of [
      { mode: 'udh', reference: 256 },
      { mode: 'udh', reference: 65_536, refBits: 16 },
      { mode: 'sar', reference: 65_536 },
      { mode: 'sar', reference: -1 },
    ] as const) {
      try {
        buildParts('a', 0, options);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(SegmentError);
        expect((error as SegmentError).commandStatus).toBe(CommandStatus.ESME_RINVOPTPARAMVAL);
      }
    }
    expect(buildParts('a'.repeat(200), 0, { mode: 'sar', reference: 65_535 })).toHaveLength(2);
  });

  it('rejects more than 255 parts with ESME_RINVMSGLEN', () => {
    expect(() => buildParts('a'.repeat(153 * 255 + 1), 0, { mode: 'udh', reference: 1 })).toThrow(
      SegmentError,
    );
    expect(buildParts('a'.repeat(153 * 255), 0, { mode: 'udh', reference: 1 })).toHaveLength(255);
  });

  it('produces parts whose payloads rejoin to the text, in both modes', () => {
    const input = fc.oneof(
      fc.record({
        dcs: fc.constant(0),
        text: fc.string({ unit: fc.constantFrom('a', '€', 'Δ', '['), maxLength: 600 }),
      }),
      fc.record({ dcs: fc.constant(8), text: fc.string({ unit: 'grapheme', maxLength: 300 }) }),
    );
    fc.assert(
      fc.property(
        input,
        fc.constantFrom('udh' as const, 'sar' as const),
        fc.constantFrom<8 | 16>(8, 16),
        (msg, mode, bits) => {
          const parts = buildParts(msg.text, msg.dcs, { mode, reference: 200, refBits: bits });
          const chunks = parts.map((part) => {
            if (parts.length === 1 || mode === 'sar') return part.shortMessage;
            const parsed = parseUdh(part.shortMessage);
            expect(parsed.concat?.total).toBe(parts.length);
            expect(parsed.concat?.refBits).toBe(bits);
            return parsed.payload;
          });
          expect(chunks.map((c) => decodeText(c, msg.dcs)).join('')).toBe(msg.text);
          // Every part fits TP-UD (140 octets) once the UDH is there (ours, or the MC's in sar mode) and GSM is packed.
          const udhLength = parts.length === 1 ? 0 : bits === 8 ? 6 : 7;
          for (const chunk of chunks) {
            const body = msg.dcs === 0 ? packedLength(chunk.length, udhFillBits(udhLength)) : chunk.length;
            expect(udhLength + body).toBeLessThanOrEqual(140);
          }
          expect(Buffer.concat(chunks)).toEqual(Buffer.from(encodeText(msg.text, msg.dcs)));
        },
      ),
    );
  });
});
