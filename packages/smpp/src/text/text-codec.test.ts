import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { alphabetOf, DataCoding } from '../constants/data-coding.ts';
import { TextCodingError } from '../errors.ts';
import { chooseDataCoding, decodeText, encodeText, requireAlphabet, validatePayload } from './text-codec.ts';

// A fixed seed keeps the suite deterministic; change it locally to explore further.
fc.configureGlobal({ seed: 0x5eed });

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

function statusOf(fn: () => unknown): number {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TextCodingError);
    return (error as TextCodingError).commandStatus;
  }
  throw new Error('expected a TextCodingError');
}

describe('encodeText / decodeText', () => {
  it('dispatches by data_coding', () => {
    expect(hex(encodeText('Hello €5 {ok}', 0))).toBe('48656C6C6F201B6535201B286F6B1B29');
    expect(hex(encodeText('Hello €5 {ok}', DataCoding.GSM7_FLASH))).toBe('48656C6C6F201B6535201B286F6B1B29');
    expect(hex(encodeText('Hi 😀', 8))).toBe('004800690020D83DDE00');
    expect(hex(encodeText('Hi 😀', DataCoding.UCS2_FLASH))).toBe('004800690020D83DDE00');
    expect(hex(encodeText('Ça', 3))).toBe('C761');
    expect(hex(encodeText('Жж', 6))).toBe('B6D6');
    expect(decodeText(Uint8Array.of(0xb6, 0xd6), 6)).toBe('Жж');
    expect(decodeText(Uint8Array.of(0xc7, 0x61), 3)).toBe('Ça');
    expect(decodeText(Uint8Array.of(0x00, 0x02), 0)).toBe('@$');
  });

  it('rejects binary codings in the text APIs with ESME_RINVDCS', () => {
    for (const dcs of [0x02, 0x04, 0xf5]) {
      expect(statusOf(() => decodeText(Uint8Array.of(1), dcs))).toBe(CommandStatus.ESME_RINVDCS);
      expect(statusOf(() => encodeText('a', dcs))).toBe(CommandStatus.ESME_RINVDCS);
    }
  });

  it('rejects unsupported codings (IA5, JIS, reserved) with ESME_RINVDCS', () => {
    for (const dcs of [0x01, 0x05, 0x07, 0x40, 0x1c]) {
      expect(statusOf(() => decodeText(Uint8Array.of(0x41), dcs))).toBe(CommandStatus.ESME_RINVDCS);
      expect(statusOf(() => encodeText('A', dcs))).toBe(CommandStatus.ESME_RINVDCS);
      expect(
        statusOf(() => {
          validatePayload(Uint8Array.of(0x41), dcs);
        }),
      ).toBe(CommandStatus.ESME_RINVDCS);
      expect(() => requireAlphabet(dcs)).toThrow(/data_coding/);
    }
  });

  it('round-trips text for every coding with a text alphabet', () => {
    const samples: Record<string, string> = {
      gsm7: 'Hello €5 {ok} ΔΩ@',
      latin1: 'Grüße, ¿qué tal? ©',
      'iso8859-5': 'Привет, мир! №5',
      ucs2: 'Hi 😀 你好 Привет',
    };
    for (let dcs = 0; dcs < 256; dcs++) {
      const alphabet = alphabetOf(dcs);
      if (alphabet === undefined || alphabet === 'binary') continue;
      const text = samples[alphabet] ?? '';
      expect(decodeText(encodeText(text, dcs), dcs), `0x${dcs.toString(16)}`).toBe(text);
    }
  });

  it('never throws anything but TextCodingError on random octets and codings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 255 }), (octets, dcs) => {
        let decoded: string | undefined;
        try {
          decoded = decodeText(octets, dcs);
        } catch (error) {
          expect(error).toBeInstanceOf(TextCodingError);
        }
        if (decoded !== undefined) {
          validatePayload(octets, dcs);
          expect(encodeText(decoded, dcs)).toEqual(octets);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('validatePayload', () => {
  it('accepts clean payloads and any octets for binary, Latin-1 and ISO-8859-5', () => {
    validatePayload(Uint8Array.of(0x1b, 0x65), 0);
    validatePayload(Uint8Array.of(0xd8, 0x3d, 0xde, 0x00), 8);
    const any = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (const dcs of [2, 3, 4, 6, 0xf4]) validatePayload(any, dcs);
  });

  it('rejects GSM octets ≥ 0x80, bad escapes and bad UCS-2', () => {
    expect(
      statusOf(() => {
        validatePayload(Uint8Array.of(0x80), 0);
      }),
    ).toBe(CommandStatus.ESME_RINVDCS);
    expect(
      statusOf(() => {
        validatePayload(Uint8Array.of(0x1b, 0x41), 0xf0);
      }),
    ).toBe(CommandStatus.ESME_RINVDCS);
    expect(
      statusOf(() => {
        validatePayload(Uint8Array.of(0x00), 8);
      }),
    ).toBe(CommandStatus.ESME_RINVMSGLEN);
    expect(
      statusOf(() => {
        validatePayload(Uint8Array.of(0xdc, 0x00), 0x18);
      }),
    ).toBe(CommandStatus.ESME_RINVDCS);
  });
});

describe('chooseDataCoding', () => {
  it('picks GSM-7 when every character fits, else UCS-2', () => {
    expect(chooseDataCoding('')).toBe(0);
    expect(chooseDataCoding('Hello €5 {ok} ç')).toBe(0);
    expect(chooseDataCoding('Hello `')).toBe(8);
    expect(chooseDataCoding('Hi 😀')).toBe(8);
    expect(chooseDataCoding('Привет')).toBe(8);
  });

  it('always picks a coding the text encodes in', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), (text) => {
        const dcs = chooseDataCoding(text);
        expect(decodeText(encodeText(text, dcs), dcs)).toBe(dcs === 0 ? text.replaceAll('ç', 'Ç') : text);
      }),
    );
  });
});
