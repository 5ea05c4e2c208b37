import { describe, expect, it } from 'vitest';
import { canonicalUpstreamId, receiptIdCandidates, trimUpstreamId } from './upstream-id.ts';

describe('upstream ids', () => {
  it('trims C-string padding and blanks', () => {
    expect(trimUpstreamId(' abc\0\0')).toBe('abc');
  });

  it.each([
    ['opaque', 'AbC-12', 'abc-12'],
    ['hex', '00FF10', 'ff10'],
    ['decimal', '000123', '123'],
    ['hex', 'not-hex', 'not-hex'],
  ] as const)('canonical %s form of %s is %s', (base, id, canonical) => {
    expect(canonicalUpstreamId(id, base)).toBe(canonical);
  });

  it('converts a decimal receipt id to the hex of submit_sm_resp, and keeps the id as written second', () => {
    expect(receiptIdCandidates('255', 'decimal', 'hex')).toEqual(['ff', '255']);
    expect(receiptIdCandidates('0A', 'hex', 'decimal')).toEqual(['10', '0a']);
  });

  it('needs no conversion when the bases agree', () => {
    expect(receiptIdCandidates('00AB', 'hex', 'hex')).toEqual(['ab']);
    expect(receiptIdCandidates('X-1', 'opaque', 'opaque')).toEqual(['x-1']);
  });

  it('keeps large ids exact', () => {
    expect(receiptIdCandidates('18446744073709551615', 'decimal', 'hex')[0]).toBe('ffffffffffffffff');
  });
});
