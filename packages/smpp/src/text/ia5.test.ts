import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { TextCodingError } from '../errors.ts';
import { decodeGsm7 } from './gsm7.ts';
import { ia5ToGsm7 } from './ia5.ts';

const ascii = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));

describe('ia5ToGsm7', () => {
  it('carries ASCII text as GSM-7, escapes included', () => {
    expect([...ia5ToGsm7(ascii('Hello @ $_!'))]).toEqual([
      0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x00, 0x20, 0x02, 0x11, 0x21,
    ]);
    expect([...ia5ToGsm7(ascii('{x}'))]).toEqual([0x1b, 0x28, 0x78, 0x1b, 0x29]);
  });

  it('property: any ASCII text GSM-7 has decodes back to itself', () => {
    const gsmAscii = fc.string({
      unit: fc.constantFrom(...'\n\rABCxyz0189 !"#%&\'()*+,-./:;<=>?@[\\]^_{|}~$'.split('')),
    });
    fc.assert(
      fc.property(gsmAscii, (text) => {
        expect(decodeGsm7(ia5ToGsm7(ascii(text)))).toBe(text);
      }),
    );
  });

  it('refuses bytes above 0x7f and characters GSM-7 lacks, with ESME_RINVDCS', () => {
    for (const bytes of [Uint8Array.of(0x41, 0xe9), ascii('a`b'), Uint8Array.of(0x01)]) {
      let caught: unknown;
      try {
        ia5ToGsm7(bytes);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(TextCodingError);
      expect((caught as TextCodingError).commandStatus).toBe(CommandStatus.ESME_RINVDCS);
    }
  });
});
