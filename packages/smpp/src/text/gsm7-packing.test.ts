import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { TextCodingError } from '../errors.ts';
import { encodeGsm7 } from './gsm7.ts';
import { packedLength, packSeptets, udhFillBits, unpackSeptets } from './gsm7-packing.ts';

// A fixed seed keeps the suite deterministic; change it locally to explore further.
fc.configureGlobal({ seed: 0x5eed });

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const septets = (maxLength = 400) => fc.uint8Array({ max: 0x7f, maxLength });

describe('packSeptets', () => {
  it('packs the docs/smpp-reference.md §6.2 vectors', () => {
    expect(hex(packSeptets(encodeGsm7('hello')))).toBe('E8329BFD06');
    expect(hex(packSeptets(encodeGsm7('Hello!')))).toBe('C8329BFD0E01');
  });

  it('packs "Hi" after a 6-octet concatenation UDH with one fill bit', () => {
    const udh = Uint8Array.of(0x05, 0x00, 0x03, 0xa7, 0x02, 0x01);
    expect(udhFillBits(udh.length)).toBe(1);
    const body = packSeptets(encodeGsm7('Hi'), udhFillBits(udh.length));
    expect(hex(Uint8Array.of(...udh, ...body))).toBe('050003A702019069');
  });

  it('packs 160 septets into 140 octets and 8 into 7', () => {
    expect(packSeptets(new Uint8Array(160).fill(0x41)).length).toBe(140);
    expect(packSeptets(new Uint8Array(8).fill(0x7f))).toEqual(new Uint8Array(7).fill(0xff));
    expect(packedLength(160)).toBe(140);
    expect(packedLength(153, 1)).toBe(134);
  });

  it('rejects octets that are not septets and bad fill bits', () => {
    expect(() => packSeptets(Uint8Array.of(0x80))).toThrow(TextCodingError);
    expect(() => packSeptets(Uint8Array.of(0x41), 7)).toThrow(TextCodingError);
    expect(() => packSeptets(Uint8Array.of(0x41), -1)).toThrow(TextCodingError);
  });
});

describe('udhFillBits', () => {
  it('aligns the text on a septet boundary after the UDH', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map(udhFillBits)).toEqual([0, 6, 5, 4, 3, 2, 1, 0, 6]);
    for (let length = 0; length < 140; length++) expect((length * 8 + udhFillBits(length)) % 7).toBe(0);
  });
});

describe('unpackSeptets', () => {
  it('unpacks the vectors', () => {
    expect(unpackSeptets(Uint8Array.of(0xe8, 0x32, 0x9b, 0xfd, 0x06))).toEqual(encodeGsm7('hello'));
    expect(unpackSeptets(Uint8Array.of(0xc8, 0x32, 0x9b, 0xfd, 0x0e, 0x01), 6)).toEqual(encodeGsm7('Hello!'));
    expect(unpackSeptets(Uint8Array.of(0x90, 0x69), 2, 1)).toEqual(encodeGsm7('Hi'));
  });

  it('reads 7 spare bits as an extra @ when no count is given', () => {
    const packed = packSeptets(encodeGsm7('1234567'));
    expect(packed.length).toBe(7);
    expect(unpackSeptets(packed)).toEqual(encodeGsm7('1234567@'));
    expect(unpackSeptets(packed, 7)).toEqual(encodeGsm7('1234567'));
  });

  it('rejects a count the octets cannot hold', () => {
    const error = (() => {
      try {
        unpackSeptets(Uint8Array.of(0xe8, 0x32), 3);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TextCodingError);
    expect((error as TextCodingError).commandStatus).toBe(CommandStatus.ESME_RINVMSGLEN);
    expect(() => unpackSeptets(new Uint8Array(0), -1)).toThrow(TextCodingError);
    expect(() => unpackSeptets(new Uint8Array(1), 1.5)).toThrow(TextCodingError);
    expect(unpackSeptets(new Uint8Array(0))).toEqual(new Uint8Array(0));
  });

  it('round-trips pack → unpack for any septets and fill', () => {
    fc.assert(
      fc.property(septets(), fc.integer({ min: 0, max: 6 }), (input, fill) => {
        const packed = packSeptets(input, fill);
        expect(packed.length).toBe(packedLength(input.length, fill));
        expect(unpackSeptets(packed, input.length, fill)).toEqual(input);
      }),
    );
  });

  it('leaves the fill bits zero', () => {
    fc.assert(
      fc.property(septets(20), fc.integer({ min: 1, max: 6 }), (input, fill) => {
        const packed = packSeptets(input, fill);
        if (packed.length > 0) expect((packed[0] ?? 0) & ((1 << fill) - 1)).toBe(0);
      }),
    );
  });
});
