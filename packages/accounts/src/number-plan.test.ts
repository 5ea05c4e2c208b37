import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NumberPlanError } from './errors.ts';
import {
  NumberPlan,
  NumberTakenError,
  decodeNumberPlan,
  encodeNumberPlan,
  numberOfAddress,
  parseNumberRange,
  rangesOverlap,
} from './number-plan.ts';

describe('parseNumberRange', () => {
  it('reads numbers, short codes and ranges', () => {
    expect(parseNumberRange('4512345678')).toEqual({ from: '4512345678', to: '4512345678' });
    expect(parseNumberRange('1234')).toEqual({ from: '1234', to: '1234' });
    expect(parseNumberRange('4512340000-4512349999')).toEqual({ from: '4512340000', to: '4512349999' });
  });

  it.each(['+4512345678', '45 12', 'abc', '12-3', '20-10', '1-2-3', '', '123456789012345678901'])(
    'refuses %j',
    (text) => {
      expect(() => parseNumberRange(text)).toThrow(NumberPlanError);
    },
  );
});

describe('NumberPlan', () => {
  const plan = new NumberPlan()
    .withAdded('acme', [parseNumberRange('4512340000-4512349999'), parseNumberRange('1234')])
    .withAdded('beta', [parseNumberRange('4512345')]);

  it('finds the owner of a number, a leading + ignored', () => {
    expect(plan.ownerOf('4512345678')).toBe('acme');
    expect(plan.ownerOf('+4512340000')).toBe('acme');
    expect(plan.ownerOf('1234')).toBe('acme');
    expect(plan.ownerOf('4512345')).toBe('beta');
    expect(plan.ownerOf('4512350000')).toBeUndefined();
    expect(plan.ownerOf('12345')).toBeUndefined();
    expect(plan.ownerOf('ACME')).toBeUndefined();
  });

  it('keeps one owner per number', () => {
    expect(() => plan.withAdded('beta', [parseNumberRange('4512345678')])).toThrow(NumberTakenError);
    expect(() => plan.withAdded('acme', [parseNumberRange('4512345000-4512345999')])).toThrow(
      NumberTakenError,
    );
    // The same entry again for its owner is no change.
    expect(plan.withAdded('acme', [parseNumberRange('1234')]).equals(plan)).toBe(true);
  });

  it('removes exact entries only, and sets an account\u2019s numbers declaratively', () => {
    expect(() => plan.withRemoved([parseNumberRange('4512345678')])).toThrow(NumberPlanError);
    expect(() => plan.withRemoved([parseNumberRange('1234')], 'beta')).toThrow(NumberPlanError);
    expect(plan.withRemoved([parseNumberRange('1234')]).ownerOf('1234')).toBeUndefined();
    const set = plan.withAccountNumbers('acme', [parseNumberRange('5555')]);
    expect(set.entriesOf('acme').map((e) => e.from)).toEqual(['5555']);
    expect(set.ownerOf('4512345')).toBe('beta');
  });

  it('round-trips through its stored form and refuses a broken one', () => {
    expect(decodeNumberPlan(encodeNumberPlan(plan)).equals(plan)).toBe(true);
    expect(() => decodeNumberPlan(new TextEncoder().encode('{'))).toThrow(NumberPlanError);
    expect(() => decodeNumberPlan(new TextEncoder().encode('{"version":2,"entries":[]}'))).toThrow(
      NumberPlanError,
    );
  });

  it('looks up like a linear scan over random plans', () => {
    const range = fc
      .tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 50 }))
      .map(([from, width]) => ({
        from: String(from).padStart(4, '0'),
        to: String(Math.min(9999, from + width)).padStart(4, '0'),
      }));
    fc.assert(
      fc.property(fc.array(range, { maxLength: 20 }), fc.integer({ min: 0, max: 1100 }), (ranges, n) => {
        let p = new NumberPlan();
        for (const [i, r] of ranges.entries()) {
          try {
            p = p.withAdded(`a${i}`, [r]);
          } catch (err) {
            if (!(err instanceof NumberTakenError)) throw err;
          }
        }
        const number = String(n).padStart(4, '0');
        const linear = p.entries.find((e) => rangesOverlap(e, { from: number, to: number }))?.systemId;
        expect(p.ownerOf(number)).toBe(linear);
      }),
    );
  });

  it('reads only digits as numbers', () => {
    expect(numberOfAddress('+45')).toBe('45');
    expect(numberOfAddress('4 5')).toBeUndefined();
  });
});
