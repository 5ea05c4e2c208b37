import { describe, expect, it } from 'vitest';
import { concatUdhLength, MAX_PARTS, segmentLimits } from './segment-limits.ts';

describe('segmentLimits', () => {
  it('matches the docs/smpp-reference.md §6.3 table', () => {
    expect(segmentLimits('gsm7')).toEqual({ unit: 'septet', single: 160, perPart: 153 });
    expect(segmentLimits('gsm7', 16)).toEqual({ unit: 'septet', single: 160, perPart: 152 });
    for (const alphabet of ['binary', 'latin1', 'iso8859-5'] as const) {
      expect(segmentLimits(alphabet)).toEqual({ unit: 'octet', single: 140, perPart: 134 });
      expect(segmentLimits(alphabet, 16)).toEqual({ unit: 'octet', single: 140, perPart: 133 });
    }
    expect(segmentLimits('ucs2')).toEqual({ unit: 'codeUnit', single: 70, perPart: 67 });
    expect(segmentLimits('ucs2', 16)).toEqual({ unit: 'codeUnit', single: 70, perPart: 66 });
  });

  it('knows the UDH lengths and the part limit', () => {
    expect(concatUdhLength(8)).toBe(6);
    expect(concatUdhLength(16)).toBe(7);
    expect(MAX_PARTS).toBe(255);
  });
});
