import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { alphabetOf } from '../constants/data-coding.ts';
import { SmppError, TextCodingError } from '../errors.ts';
import { encodeText } from '../text/text-codec.ts';
import { SegmentError } from './segment-error.ts';
import { segmentLimits } from './segment-limits.ts';
import { countPayloadSegments, countSegments, splitPayload, splitText } from './split.ts';

// A fixed seed keeps the suite deterministic; change it locally to explore further.
fc.configureGlobal({ seed: 0x5eed });

function errorOf(fn: () => unknown): SmppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SmppError);
    return error as SmppError;
  }
  throw new Error('expected an SmppError');
}

const lengths = (parts: readonly { length: number }[]) => parts.map((p) => p.length);
const concat = (parts: readonly Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => Array.from(p)));

describe('GSM-7 segments', () => {
  it('fits 160 septets in one SMS and splits 161 into 153 + 8', () => {
    expect(countSegments('a'.repeat(160), 0)).toBe(1);
    expect(countSegments('a'.repeat(161), 0)).toBe(2);
    expect(lengths(splitText('a'.repeat(161), 0))).toEqual([153, 8]);
    expect(countSegments('a'.repeat(306), 0)).toBe(2);
    expect(countSegments('a'.repeat(307), 0)).toBe(3);
  });

  it('uses 152 septets per part with a 16-bit reference', () => {
    expect(countSegments('a'.repeat(304), 0, { refBits: 16 })).toBe(2);
    expect(countSegments('a'.repeat(305), 0, { refBits: 16 })).toBe(3);
    expect(lengths(splitPayload(new Uint8Array(305).fill(0x61), 0, { refBits: 16 }))).toEqual([152, 152, 1]);
  });

  it('counts extension characters as two septets', () => {
    expect(countSegments('€'.repeat(80), 0)).toBe(1);
    expect(countSegments('€'.repeat(80) + 'a', 0)).toBe(2);
    expect(countSegments('{'.repeat(81), 0)).toBe(2);
  });

  it('never splits an escape pair straddling septet 153', () => {
    const text = 'a'.repeat(152) + '€' + 'b'.repeat(10);
    expect(splitText(text, 0)).toEqual(['a'.repeat(152), '€' + 'b'.repeat(10)]);
    expect(lengths(splitPayload(encodeText(text, 0), 0))).toEqual([152, 12]);
    // When the pair ends exactly on septet 153 it stays in the first part.
    const fits = 'a'.repeat(151) + '€' + 'b'.repeat(10);
    expect(splitText(fits, 0)).toEqual(['a'.repeat(151) + '€', 'b'.repeat(10)]);
    expect(countSegments('€'.repeat(80) + 'a', 0)).toBe(2);
    expect(lengths(splitText('€'.repeat(80) + 'a', 0))).toEqual([76, 5]);
  });

  it('keeps escape runs paired from the start of each part', () => {
    // 0x1B 0x1B is not valid text, but counting must still pair from the left: 77 pairs
    // cannot fit 153 septets, so the first part holds 76 pairs.
    const payload = Uint8Array.of(...new Uint8Array(154).fill(0x1b), ...new Uint8Array(7).fill(0x41));
    expect(lengths(splitPayload(payload, 0))).toEqual([152, 9]);
  });
});

describe('8-bit segments', () => {
  it('fits 140 octets in one SMS and uses 134 (133) per part', () => {
    for (const dcs of [2, 3, 4, 6, 0xf5]) {
      expect(countPayloadSegments(new Uint8Array(140), dcs)).toBe(1);
      expect(lengths(splitPayload(new Uint8Array(141), dcs))).toEqual([134, 7]);
      expect(lengths(splitPayload(new Uint8Array(141), dcs, { refBits: 16 }))).toEqual([133, 8]);
    }
    expect(countSegments('é'.repeat(268), 3)).toBe(2);
    expect(countSegments('Ж'.repeat(269), 6)).toBe(3);
  });
});

describe('UCS-2 segments', () => {
  it('fits 70 code units in one SMS and splits 71 into 67 + 4', () => {
    expect(countSegments('я'.repeat(70), 8)).toBe(1);
    expect(countSegments('я'.repeat(71), 8)).toBe(2);
    expect(lengths(splitText('я'.repeat(71), 8))).toEqual([67, 4]);
    expect(lengths(splitText('я'.repeat(71), 8, { refBits: 16 }))).toEqual([66, 5]);
  });

  it('counts an emoji as two code units', () => {
    expect(countSegments('😀'.repeat(35), 8)).toBe(1);
    expect(countSegments('😀'.repeat(35) + 'a', 8)).toBe(2);
  });

  it('never splits a surrogate pair straddling unit 67', () => {
    const text = 'a'.repeat(66) + '😀' + 'b'.repeat(10);
    expect(splitText(text, 8)).toEqual(['a'.repeat(66), '😀' + 'b'.repeat(10)]);
    expect(lengths(splitPayload(encodeText(text, 8), 8))).toEqual([132, 24]);
    const fits = 'a'.repeat(65) + '😀' + 'b'.repeat(10);
    expect(splitText(fits, 8)).toEqual(['a'.repeat(65) + '😀', 'b'.repeat(10)]);
  });

  it('rejects an odd UCS-2 payload with ESME_RINVMSGLEN', () => {
    const error = errorOf(() => countPayloadSegments(new Uint8Array(141), 8));
    expect(error).toBeInstanceOf(TextCodingError);
    expect(error.commandStatus).toBe(CommandStatus.ESME_RINVMSGLEN);
    expect(() => splitPayload(new Uint8Array(3), 8)).toThrow(TextCodingError);
  });
});

describe('limits and edge cases', () => {
  it('allows 255 parts and rejects 256 with ESME_RINVMSGLEN', () => {
    expect(countPayloadSegments(new Uint8Array(134 * 255), 2)).toBe(255);
    expect(splitPayload(new Uint8Array(134 * 255), 2)).toHaveLength(255);
    expect(countSegments('a'.repeat(153 * 255), 0)).toBe(255);
    expect(countSegments('я'.repeat(67 * 255), 8)).toBe(255);
    for (const fn of [
      () => countPayloadSegments(new Uint8Array(134 * 255 + 1), 2),
      () => splitPayload(new Uint8Array(134 * 255 + 1), 2),
      () => countSegments('a'.repeat(153 * 255 + 1), 0),
      () => splitText('я'.repeat(67 * 255 + 1), 8),
      () => countPayloadSegments(new Uint8Array(65_536), 0),
    ]) {
      const error = errorOf(fn);
      expect(error).toBeInstanceOf(SegmentError);
      expect(error.commandStatus).toBe(CommandStatus.ESME_RINVMSGLEN);
    }
  });

  it('treats the empty message as one part', () => {
    expect(countPayloadSegments(new Uint8Array(0), 0)).toBe(1);
    expect(splitPayload(new Uint8Array(0), 8)).toEqual([new Uint8Array(0)]);
    expect(splitText('', 0)).toEqual(['']);
  });

  it('rejects unsupported codings with ESME_RINVDCS and binary codings in the text functions', () => {
    expect(errorOf(() => countPayloadSegments(new Uint8Array(1), 1)).commandStatus).toBe(
      CommandStatus.ESME_RINVDCS,
    );
    expect(errorOf(() => countSegments('a', 2)).commandStatus).toBe(CommandStatus.ESME_RINVDCS);
    expect(errorOf(() => splitText('a', 4)).commandStatus).toBe(CommandStatus.ESME_RINVDCS);
  });

  it('returns views into the payload', () => {
    const payload = new Uint8Array(300);
    const parts = splitPayload(payload, 2);
    expect(parts.every((p) => p.buffer === payload.buffer)).toBe(true);
  });
});

// Payload generators biased towards the octets that matter for cut placement.
const gsmPayload = fc
  .array(fc.oneof(fc.constant(0x1b), fc.integer({ min: 0, max: 0x7f })), { maxLength: 1300 })
  .map((a) => Uint8Array.from(a));
const ucs2Payload = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0xd800, max: 0xdbff }),
      fc.integer({ min: 0xdc00, max: 0xdfff }),
      fc.integer({ min: 0, max: 0xffff }),
    ),
    { maxLength: 600 },
  )
  .map((units) => Uint8Array.from(units.flatMap((u) => [u >> 8, u & 0xff])));
const octetPayload = fc.uint8Array({ maxLength: 1500 });
const refBits = fc.constantFrom<8 | 16>(8, 16);

/** Offsets where a cut would break a pair (the offset of the pair's second half). */
function forbiddenCuts(payload: Uint8Array, dataCoding: number): Set<number> {
  const forbidden = new Set<number>();
  if (dataCoding === 0) {
    for (let i = 0; i < payload.length; i++) {
      if (payload[i] === 0x1b && i + 1 < payload.length) forbidden.add(++i);
    }
  } else if (dataCoding === 8) {
    for (let i = 0; i + 3 < payload.length; i += 2) {
      const high = payload[i]!;
      const low = payload[i + 2]!;
      if (high >= 0xd8 && high <= 0xdb && low >= 0xdc && low <= 0xdf) forbidden.add((i += 2));
    }
  }
  return forbidden;
}

function checkSplit(payload: Uint8Array, dataCoding: number, bits: 8 | 16): void {
  const limits = segmentLimits(alphabetOf(dataCoding) ?? 'binary', bits);
  const octetsPerUnit = dataCoding === 8 ? 2 : 1;
  const parts = splitPayload(payload, dataCoding, { refBits: bits });
  expect(countPayloadSegments(payload, dataCoding, { refBits: bits })).toBe(parts.length);
  expect(parts.length).toBeGreaterThanOrEqual(1);
  expect(parts.length).toBeLessThanOrEqual(255);
  expect(concat(parts)).toEqual(payload);
  const limit = (parts.length === 1 ? limits.single : limits.perPart) * octetsPerUnit;
  for (const part of parts) expect(part.length).toBeLessThanOrEqual(limit);
  if (parts.length > 1) expect(payload.length).toBeGreaterThan(limits.single * octetsPerUnit);
  // Every part but the last is full, or one unit short because the next unit opens a pair
  // (greedy filling, hence the fewest parts); no cut falls inside a pair.
  const forbidden = forbiddenCuts(payload, dataCoding);
  let end = 0;
  for (const part of parts.slice(0, -1)) {
    end += part.length;
    expect(forbidden.has(end)).toBe(false);
    const full =
      part.length === limit || (part.length === limit - octetsPerUnit && forbidden.has(end + octetsPerUnit));
    expect(full).toBe(true);
  }
}

describe('segment properties', () => {
  it('GSM-7: parts within limits, rejoin to the payload, no escape pair split', () => {
    fc.assert(
      fc.property(gsmPayload, refBits, (payload, bits) => {
        checkSplit(payload, 0, bits);
      }),
    );
  });

  it('UCS-2: parts within limits, rejoin to the payload, no surrogate pair split', () => {
    fc.assert(
      fc.property(ucs2Payload, refBits, (payload, bits) => {
        checkSplit(payload, 8, bits);
      }),
    );
  });

  it('8-bit: parts within limits and rejoin to the payload', () => {
    fc.assert(
      fc.property(octetPayload, refBits, (payload, bits) => {
        checkSplit(payload, 4, bits);
      }),
    );
  });

  it('splitText parts join to the text and each encodes to its payload chunk', () => {
    const text = fc.oneof(
      fc.record({
        dcs: fc.constant(0),
        text: fc.string({ unit: fc.constantFrom('a', '€', '{', 'Δ', ' ', 'ç'), maxLength: 700 }),
      }),
      fc.record({ dcs: fc.constant(8), text: fc.string({ unit: 'grapheme', maxLength: 300 }) }),
      fc.record({
        dcs: fc.constant(3),
        text: fc.string({ unit: fc.constantFrom('a', 'é', 'ÿ'), maxLength: 500 }),
      }),
    );
    fc.assert(
      fc.property(text, refBits, ({ dcs, text: input }, bits) => {
        const parts = splitText(input, dcs, { refBits: bits });
        expect(parts.join('')).toBe(input);
        expect(countSegments(input, dcs, { refBits: bits })).toBe(parts.length);
        const chunks = splitPayload(encodeText(input, dcs), dcs, { refBits: bits });
        expect(parts.map((p) => encodeText(p, dcs))).toEqual(chunks);
      }),
    );
  });
});
