import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { TextCodingError } from '../errors.ts';
import { decodeIso8859_5, encodeIso8859_5, isIso8859_5Encodable } from './iso8859-5.ts';

// A fixed seed keeps the suite deterministic; change it locally to explore further.
fc.configureGlobal({ seed: 0x5eed });

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

describe('ISO-8859-5', () => {
  it('maps the upper half per the standard', () => {
    const upper = decodeIso8859_5(Uint8Array.from({ length: 96 }, (_, i) => 0xa0 + i));
    expect(upper).toBe(
      '\u00a0ЁЂЃЄЅІЇЈЉЊЋЌ\u00adЎЏ' +
        'АБВГДЕЖЗИЙКЛМНОП' +
        'РСТУФХЦЧШЩЪЫЬЭЮЯ' +
        'абвгдежзийклмноп' +
        'рстуфхцчшщъыьэюя' +
        '№ёђѓєѕіїјљњћќ§ўџ',
    );
  });

  it('keeps 0x00–0x9F as ASCII + C1', () => {
    const lower = Uint8Array.from({ length: 0xa0 }, (_, i) => i);
    const text = decodeIso8859_5(lower);
    for (let i = 0; i < 0xa0; i++) expect(text.charCodeAt(i)).toBe(i);
  });

  it('encodes Russian samples', () => {
    expect(hex(encodeIso8859_5('Привет, мир!'))).toBe('BFE0D8D2D5E22C20DCD8E021');
    expect(hex(encodeIso8859_5('Ёлка № 5 §'))).toBe('A1DBDAD020F0203520FD');
    expect(hex(encodeIso8859_5('ў Ў џ Џ'))).toBe('FE20AE20FF20AF');
  });

  it('rejects characters outside the charset with ESME_RINVDCS', () => {
    for (const text of ['é', '€', 'Ѐ', 'ѐ', 'ѝ', 'Ѝ', 'ґ', '😀']) {
      expect(isIso8859_5Encodable(text), text).toBe(false);
      try {
        encodeIso8859_5(text);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(TextCodingError);
        expect((error as TextCodingError).commandStatus).toBe(CommandStatus.ESME_RINVDCS);
      }
    }
  });

  it('round-trips every octet and any string of its repertoire', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const repertoire = Array.from(decodeIso8859_5(all));
    expect(new Set(repertoire).size).toBe(256);
    expect(encodeIso8859_5(repertoire.join(''))).toEqual(all);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...repertoire), maxLength: 400 }), (text) => {
        expect(isIso8859_5Encodable(text)).toBe(true);
        expect(decodeIso8859_5(encodeIso8859_5(text))).toBe(text);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (octets) => {
        expect(encodeIso8859_5(decodeIso8859_5(octets))).toEqual(octets);
      }),
    );
  });
});
