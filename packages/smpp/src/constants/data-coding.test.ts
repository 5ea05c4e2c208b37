import { describe, expect, it } from 'vitest';
import {
  alphabetOf,
  classZeroCodingOf,
  DataCoding,
  dataCodingName,
  isFlash,
  messageClassOf,
} from './data-coding.ts';

describe('alphabetOf', () => {
  it('covers the gateway accepted set (DESIGN: 0, 2, 3, 4, 6, 8, 0x18, 0xF0)', () => {
    expect(alphabetOf(0)).toBe('gsm7');
    expect(alphabetOf(2)).toBe('binary');
    expect(alphabetOf(3)).toBe('latin1');
    expect(alphabetOf(4)).toBe('binary');
    expect(alphabetOf(6)).toBe('iso8859-5');
    expect(alphabetOf(8)).toBe('ucs2');
    expect(alphabetOf(0x18)).toBe('ucs2');
    expect(alphabetOf(0xf0)).toBe('gsm7');
  });

  it('has no alphabet for IA5, JIS, ISO-8859-8 and the Asian codings', () => {
    for (const dcs of [0x01, 0x05, 0x07, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f]) {
      expect(alphabetOf(dcs), `0x${dcs.toString(16)}`).toBeUndefined();
    }
  });

  it('decodes the TP-DCS general group with a message class (0x10–0x1B)', () => {
    expect([0x10, 0x11, 0x12, 0x13].map(alphabetOf)).toEqual(['gsm7', 'gsm7', 'gsm7', 'gsm7']);
    expect([0x14, 0x15, 0x16, 0x17].map(alphabetOf)).toEqual(['binary', 'binary', 'binary', 'binary']);
    expect([0x18, 0x19, 0x1a, 0x1b].map(alphabetOf)).toEqual(['ucs2', 'ucs2', 'ucs2', 'ucs2']);
    expect([0x1c, 0x1d, 0x1e, 0x1f].map(alphabetOf)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('leaves compressed and SMPP-reserved values undefined', () => {
    for (let dcs = 0x20; dcs < 0xc0; dcs++) expect(alphabetOf(dcs)).toBeUndefined();
  });

  it('decodes the message waiting and data coding/message class groups', () => {
    for (let dcs = 0xc0; dcs < 0xe0; dcs++) expect(alphabetOf(dcs)).toBe('gsm7');
    for (let dcs = 0xe0; dcs < 0xf0; dcs++) expect(alphabetOf(dcs)).toBe('ucs2');
    expect([0xf0, 0xf1, 0xf2, 0xf3, 0xf8, 0xfb].map(alphabetOf)).toEqual(Array(6).fill('gsm7'));
    expect([0xf4, 0xf5, 0xf6, 0xf7, 0xfc, 0xff].map(alphabetOf)).toEqual(Array(6).fill('binary'));
  });

  it('is undefined outside 0..255 and for non-integers', () => {
    expect(alphabetOf(-1)).toBeUndefined();
    expect(alphabetOf(256)).toBeUndefined();
    expect(alphabetOf(1.5)).toBeUndefined();
  });
});

describe('message class and flash', () => {
  it('marks class 0 codings as flash', () => {
    expect(isFlash(DataCoding.GSM7_FLASH)).toBe(true);
    expect(isFlash(DataCoding.UCS2_FLASH)).toBe(true);
    expect(isFlash(0x10)).toBe(true);
    expect(isFlash(0x14)).toBe(true);
    expect(isFlash(0xf4)).toBe(true);
  });

  it('does not mark other codings as flash', () => {
    for (const dcs of [0x00, 0x01, 0x03, 0x08, 0x11, 0x19, 0x1c, 0xc0, 0xe0, 0xf1, 0xf5]) {
      expect(isFlash(dcs), `0x${dcs.toString(16)}`).toBe(false);
    }
  });

  it('reads the class from bits 1–0 where the coding carries one', () => {
    expect([0xf0, 0xf1, 0xf2, 0xf3].map(messageClassOf)).toEqual([0, 1, 2, 3]);
    expect([0x18, 0x19, 0x1a, 0x1b].map(messageClassOf)).toEqual([0, 1, 2, 3]);
    expect(messageClassOf(0x08)).toBeUndefined();
    expect(messageClassOf(0x00)).toBeUndefined();
    expect(messageClassOf(0x1c)).toBeUndefined();
  });
});

describe('classZeroCodingOf', () => {
  it('gives the class-0 form of GSM-7, UCS-2 and 8-bit data', () => {
    expect(classZeroCodingOf(0x00)).toBe(0xf0);
    expect(classZeroCodingOf(0x08)).toBe(0x18);
    expect(classZeroCodingOf(0x02)).toBe(0xf4);
    expect(classZeroCodingOf(0x04)).toBe(0xf4);
    expect(classZeroCodingOf(0xf1)).toBe(0xf0);
    expect(classZeroCodingOf(0x19)).toBe(0x18);
    expect(classZeroCodingOf(0xf0)).toBe(0xf0);
  });

  it('has none for codings without a message class form', () => {
    for (const dcs of [0x01, 0x03, 0x06, 0xc0, 0xe0]) expect(classZeroCodingOf(dcs)).toBeUndefined();
  });

  it('always lands on a flash coding when it gives one', () => {
    for (let dcs = 0; dcs < 256; dcs++) {
      const flash = classZeroCodingOf(dcs);
      if (flash !== undefined) expect(isFlash(flash), `0x${dcs.toString(16)}`).toBe(true);
    }
  });
});

describe('dataCodingName', () => {
  it('names known values and hex-formats the rest', () => {
    expect(dataCodingName(0x01)).toBe('IA5');
    expect(dataCodingName(0x18)).toBe('UCS2_FLASH');
    expect(dataCodingName(0xf0)).toBe('GSM7_FLASH');
    expect(dataCodingName(0x4a)).toBe('0x4a');
  });

  it('has one name per value', () => {
    const values = Object.values(DataCoding);
    expect(new Set(values).size).toBe(values.length);
  });
});
