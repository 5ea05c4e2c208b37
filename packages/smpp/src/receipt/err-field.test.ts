import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errFieldOf } from './err-field.ts';

describe('errFieldOf', () => {
  it.each([
    [0, '000'],
    [0x107e, '126'],
    [0x1013, '019'],
    [0x1001, '001'],
    [0x1094, '148'],
    [0x0311, '785'],
    [0x13e7, '999'],
    // GatewayAPI 0x19xx codes: 0x902 = 2306 does not fit in 3 digits.
    [0x1902, '999'],
    [0x1904, '999'],
    [0xfff, '999'],
    [-1, '999'],
    [Number.NaN, '000'],
  ])('%i → %s', (code, err) => {
    expect(errFieldOf(code)).toBe(err);
  });

  it('adding 0x1000 to the decimal reverses it for every 0x10xx code that fits', () => {
    for (let low = 0; low <= 999; low++) {
      expect(Number(errFieldOf(0x1000 + low)) + 0x1000).toBe(0x1000 + low);
    }
  });

  it('is always exactly 3 decimal digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: -0x80000000, max: 0x7fffffff }), (code) => {
        expect(errFieldOf(code)).toMatch(/^\d{3}$/);
      }),
    );
  });
});
