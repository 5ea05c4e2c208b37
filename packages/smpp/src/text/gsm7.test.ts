import fc from 'fast-check';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { TextCodingError } from '../errors.ts';
import { decodeGsm7, encodeGsm7, gsm7SeptetCount, isGsm7Encodable, validateGsm7 } from './gsm7.ts';

// A fixed seed keeps the suite deterministic; change it locally to explore further.
fc.configureGlobal({ seed: 0x5eed });

// docs/smpp-reference.md §6.1, typed in independently of gsm7-tables.ts: row = high nibble.
const BASIC_ROWS: readonly string[] = [
  '@£$¥èéùìòÇ\nØø\rÅå',
  'Δ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ', // 0x1B is the escape, not a character
  ' !"#¤%&\'()*+,-./',
  '0123456789:;<=>?',
  '¡ABCDEFGHIJKLMNO',
  'PQRSTUVWXYZÄÖÑÜ§',
  '¿abcdefghijklmno',
  'pqrstuvwxyzäöñüà',
];
const BASIC = BASIC_ROWS.join('');
const EXTENSION: readonly (readonly [number, string])[] = [
  [0x0a, '\u000c'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
];
const BASIC_CHARS = Array.from(BASIC).filter((c) => c !== '\u001b');
const REPERTOIRE = [...BASIC_CHARS, ...EXTENSION.map(([, c]) => c), 'ç'];
const gsmText = (maxLength = 400) => fc.string({ unit: fc.constantFrom(...REPERTOIRE), maxLength });

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const bytes = (hexString: string) => Uint8Array.from(Buffer.from(hexString.replace(/\s/g, ''), 'hex'));

function codingError(fn: () => unknown): TextCodingError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TextCodingError);
    return error as TextCodingError;
  }
  throw new Error('expected a TextCodingError');
}

describe('GSM 03.38 tables', () => {
  it('has 128 basic entries', () => {
    expect(BASIC.length).toBe(128);
  });

  it('encodes and decodes every basic table entry at its position', () => {
    for (let septet = 0; septet < 128; septet++) {
      if (septet === 0x1b) continue;
      const char = BASIC[septet] ?? '';
      expect(hex(encodeGsm7(char)), char).toBe(hex(Uint8Array.of(septet)));
      expect(decodeGsm7(Uint8Array.of(septet))).toBe(char);
    }
  });

  it('encodes and decodes every extension table entry as ESC + code', () => {
    for (const [code, char] of EXTENSION) {
      expect(encodeGsm7(char)).toEqual(Uint8Array.of(0x1b, code));
      expect(decodeGsm7(Uint8Array.of(0x1b, code))).toBe(char);
      expect(gsm7SeptetCount(char)).toBe(2);
    }
  });

  it('decodes 0x09 as Ç and encodes both Ç and ç to 0x09', () => {
    expect(decodeGsm7(Uint8Array.of(0x09))).toBe('\u00c7');
    expect(encodeGsm7('\u00c7')).toEqual(Uint8Array.of(0x09));
    expect(encodeGsm7('\u00e7')).toEqual(Uint8Array.of(0x09));
  });

  it('uses the Greek capitals and the right currency cells', () => {
    expect(encodeGsm7('\u0394\u03a9')).toEqual(Uint8Array.of(0x10, 0x15));
    expect(encodeGsm7('@$¤_¡¿§')).toEqual(Uint8Array.of(0x00, 0x02, 0x24, 0x11, 0x40, 0x60, 0x5f));
  });
});

describe('encodeGsm7', () => {
  it('encodes the docs/smpp-reference.md §8.2 vector "Hello €5 {ok}"', () => {
    expect(hex(encodeGsm7('Hello €5 {ok}'))).toBe('48656C6C6F201B6535201B286F6B1B29');
    expect(gsm7SeptetCount('Hello €5 {ok}')).toBe(16);
  });

  it('reads the ASCII bytes of cloudhopper\'s "@$#!%&/:" vector as GSM cells 0x40 ¡ and 0x24 ¤', () => {
    // The cloudhopper submit_sm (docs/smpp-reference.md §8.1) carries ASCII under data_coding 0; GSM puts @ at 0x00, $ at 0x02.
    expect(decodeGsm7(bytes('4024232125262F3A'))).toBe('¡¤#!%&/:');
    expect(hex(encodeGsm7('@$#!%&/:'))).toBe('0002232125262F3A');
  });

  it('rejects characters outside the alphabet with ESME_RINVDCS and the position', () => {
    for (const text of ['`', 'a`b', 'Привет', '😀', '\u00a0', '\u001b', 'x\u20adx', '\ud83d']) {
      expect(isGsm7Encodable(text), JSON.stringify(text)).toBe(false);
      const error = codingError(() => encodeGsm7(text));
      expect(error.commandStatus).toBe(CommandStatus.ESME_RINVDCS);
      expect(() => gsm7SeptetCount(text)).toThrow(TextCodingError);
    }
    expect(codingError(() => encodeGsm7('ab`')).message).toMatch(/U\+0060 at index 2/);
    expect(codingError(() => encodeGsm7('a😀')).message).toMatch(/U\+1F600 at index 1/);
  });

  it('encodes the empty string to no septets', () => {
    expect(encodeGsm7('')).toEqual(new Uint8Array(0));
    expect(gsm7SeptetCount('')).toBe(0);
    expect(isGsm7Encodable('')).toBe(true);
  });

  it('agrees with node-smpp on the whole repertoire but ç', () => {
    const require = createRequire(import.meta.url);
    const defs = require('smpp/lib/defs.js') as {
      encodings: { ASCII: { encode(s: string): Buffer; decode(b: Buffer): string } };
    };
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...REPERTOIRE.filter((c) => c !== 'ç')), maxLength: 200 }),
        (text) => {
          const ours = encodeGsm7(text);
          expect(hex(defs.encodings.ASCII.encode(text))).toBe(hex(ours));
          expect(defs.encodings.ASCII.decode(Buffer.from(ours))).toBe(text);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('decodeGsm7', () => {
  it('decodes the docs/smpp-reference.md vector', () => {
    expect(decodeGsm7(bytes('48656C6C6F201B6535201B286F6B1B29'))).toBe('Hello €5 {ok}');
  });

  it('rejects octets ≥ 0x80', () => {
    const error = codingError(() => decodeGsm7(Uint8Array.of(0x41, 0x80)));
    expect(error.commandStatus).toBe(CommandStatus.ESME_RINVDCS);
    expect(error.message).toMatch(/0x80 at offset 1/);
    expect(() => decodeGsm7(Uint8Array.of(0x1b, 0xe5))).toThrow(/0xe5 at offset 1/);
  });

  it('rejects an escape followed by a code without an extension character', () => {
    for (let code = 0; code < 0x80; code++) {
      if (EXTENSION.some(([c]) => c === code)) continue;
      const error = codingError(() => decodeGsm7(Uint8Array.of(0x41, 0x1b, code)));
      expect(error.commandStatus).toBe(CommandStatus.ESME_RINVDCS);
      expect(() => {
        validateGsm7(Uint8Array.of(0x41, 0x1b, code));
      }).toThrow(TextCodingError);
    }
  });

  it('rejects a trailing escape', () => {
    expect(codingError(() => decodeGsm7(Uint8Array.of(0x41, 0x1b))).message).toMatch(/ends with an escape/);
    expect(() => {
      validateGsm7(Uint8Array.of(0x1b));
    }).toThrow(TextCodingError);
  });

  it('accepts an escape pair whose code is itself 0x1B only if assigned (it is not)', () => {
    expect(() => decodeGsm7(Uint8Array.of(0x1b, 0x1b, 0x65))).toThrow(TextCodingError);
  });

  it('decodes long input (native path) the same as short input', () => {
    const text = 'Hello €5 {ok} ΔΩ '.repeat(500);
    expect(decodeGsm7(encodeGsm7(text))).toBe(text);
  });
});

describe('GSM-7 properties', () => {
  it('round-trips every string of the repertoire (ç comes back as Ç)', () => {
    fc.assert(
      fc.property(gsmText(), (text) => {
        const encoded = encodeGsm7(text);
        expect(encoded.length).toBe(gsm7SeptetCount(text));
        expect(decodeGsm7(encoded)).toBe(text.replaceAll('ç', 'Ç'));
        validateGsm7(encoded);
      }),
    );
  });

  it('re-encodes decoded septets to the same octets', () => {
    fc.assert(
      fc.property(gsmText(), (text) => {
        const encoded = encodeGsm7(text);
        expect(encodeGsm7(decodeGsm7(encoded))).toEqual(encoded);
      }),
    );
  });

  it('never throws anything but TextCodingError on random octets, and validate agrees with decode', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (input, sevenBit) => {
        const octets = sevenBit ? input.map((b) => b & 0x7f) : input;
        let decoded: string | undefined;
        let decodeError: unknown;
        try {
          decoded = decodeGsm7(octets);
        } catch (error) {
          decodeError = error;
          expect(error).toBeInstanceOf(TextCodingError);
        }
        if (decoded === undefined) {
          expect(() => {
            validateGsm7(octets);
          }).toThrow((decodeError as Error).message);
        } else {
          validateGsm7(octets);
          expect(encodeGsm7(decoded)).toEqual(octets);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('counts septets as the encoded length and agrees with isGsm7Encodable', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), (text) => {
        const encodable = Array.from(text).every((c) => REPERTOIRE.includes(c));
        expect(isGsm7Encodable(text)).toBe(encodable);
        if (encodable) expect(gsm7SeptetCount(text)).toBe(encodeGsm7(text).length);
      }),
    );
  });
});
