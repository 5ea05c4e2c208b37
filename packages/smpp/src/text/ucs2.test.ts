import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { TextCodingError } from '../errors.ts';
import { decodeUcs2, encodeUcs2, isUcs2Encodable, validateUcs2 } from './ucs2.ts';

// A fixed seed keeps the suite deterministic; change it locally to explore further.
fc.configureGlobal({ seed: 0x5eed });

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const bytes = (hexString: string) => Uint8Array.from(Buffer.from(hexString.replace(/\s/g, ''), 'hex'));

function statusOf(fn: () => unknown): number {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TextCodingError);
    return (error as TextCodingError).commandStatus;
  }
  throw new Error('expected a TextCodingError');
}

describe('UCS-2 / UTF-16BE', () => {
  it('encodes and decodes the docs/smpp-reference.md §6.5 vector "Hi 😀"', () => {
    expect(hex(encodeUcs2('Hi 😀'))).toBe('004800690020D83DDE00');
    expect(decodeUcs2(bytes('004800690020D83DDE00'))).toBe('Hi 😀');
  });

  it('handles BMP samples and the empty string', () => {
    expect(hex(encodeUcs2('Привет €'))).toBe('041F04400438043204350442002020AC');
    expect(decodeUcs2(new Uint8Array(0))).toBe('');
    expect(encodeUcs2('')).toEqual(new Uint8Array(0));
  });

  it('rejects an odd length with ESME_RINVMSGLEN', () => {
    expect(statusOf(() => decodeUcs2(Uint8Array.of(0x00, 0x41, 0x00)))).toBe(CommandStatus.ESME_RINVMSGLEN);
  });

  it('rejects lone, reversed and truncated surrogates with ESME_RINVDCS', () => {
    for (const input of [
      'D83D',
      'DE00',
      'DE00D83D',
      'D83D0041',
      'D83DD83DDE00',
      '0041DC00',
      'D83D DE00 DE00',
    ]) {
      expect(
        statusOf(() => decodeUcs2(bytes(input))),
        input,
      ).toBe(CommandStatus.ESME_RINVDCS);
      expect(() => {
        validateUcs2(bytes(input));
      }).toThrow(TextCodingError);
    }
  });

  it('rejects lone surrogates in the string with ESME_RINVDCS', () => {
    for (const text of ['\ud83d', 'a\ude00', '\ude00\ud83d', '\ud83d\ud83d', 'x\ud83d']) {
      expect(isUcs2Encodable(text)).toBe(false);
      expect(statusOf(() => encodeUcs2(text))).toBe(CommandStatus.ESME_RINVDCS);
    }
  });

  it('round-trips any well-formed string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const encoded = encodeUcs2(text);
        expect(encoded.length).toBe(text.length * 2);
        expect(decodeUcs2(encoded)).toBe(text);
      }),
    );
  });

  it('round-trips well-formed octets and never throws anything but TextCodingError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (octets) => {
        let text: string;
        try {
          text = decodeUcs2(octets);
        } catch (error) {
          expect(error).toBeInstanceOf(TextCodingError);
          expect(() => {
            validateUcs2(octets);
          }).toThrow(TextCodingError);
          return;
        }
        expect(text.isWellFormed()).toBe(true);
        expect(encodeUcs2(text)).toEqual(octets);
      }),
      { numRuns: 500 },
    );
  });
});
