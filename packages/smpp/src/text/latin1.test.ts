import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { TextCodingError } from '../errors.ts';
import { decodeLatin1, encodeLatin1, isLatin1Encodable } from './latin1.ts';

// A fixed seed keeps the suite deterministic; change it locally to explore further.
fc.configureGlobal({ seed: 0x5eed });

describe('Latin-1', () => {
  it('encodes "Hello Wikipedia" (docs/smpp-reference.md §8.1) and accented characters', () => {
    expect(Buffer.from(encodeLatin1('Hello Wikipedia')).toString('hex')).toBe(
      '48656c6c6f2057696b697065646961',
    );
    expect(encodeLatin1('Çÿ\u0080')).toEqual(Uint8Array.of(0xc7, 0xff, 0x80));
  });

  it('decodes every octet to the code point of the same value (ISO-8859-1, not windows-1252)', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = decodeLatin1(all);
    expect(text.length).toBe(256);
    for (let i = 0; i < 256; i++) expect(text.charCodeAt(i)).toBe(i);
    expect(decodeLatin1(Uint8Array.of(0x80))).toBe('\u0080');
  });

  it('decodes a view into a larger buffer without reading outside it', () => {
    const backing = Uint8Array.of(0x41, 0x42, 0x43, 0x44);
    expect(decodeLatin1(backing.subarray(1, 3))).toBe('BC');
  });

  it('rejects characters above U+00FF with ESME_RINVDCS', () => {
    for (const text of ['€', 'aĀ', '😀']) {
      expect(isLatin1Encodable(text)).toBe(false);
      try {
        encodeLatin1(text);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(TextCodingError);
        expect((error as TextCodingError).commandStatus).toBe(CommandStatus.ESME_RINVDCS);
      }
    }
  });

  it('round-trips any Latin-1 string and any octets', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)) }),
        (text) => {
          expect(isLatin1Encodable(text)).toBe(true);
          expect(decodeLatin1(encodeLatin1(text))).toBe(text);
        },
      ),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (octets) => {
        expect(encodeLatin1(decodeLatin1(octets))).toEqual(octets);
      }),
    );
  });
});
