import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringFromCodeUnits } from './code-units.ts';

// A fixed seed keeps the suite deterministic; change it locally to explore further.
fc.configureGlobal({ seed: 0x5eed });

describe('stringFromCodeUnits', () => {
  it('builds the string from a prefix of the units, short and long', () => {
    expect(stringFromCodeUnits(Uint16Array.of(0x48, 0x69, 0x21), 2)).toBe('Hi');
    expect(stringFromCodeUnits(new Uint16Array(0))).toBe('');
    const long = new Uint16Array(100_000).fill(0x416);
    expect(stringFromCodeUnits(long)).toBe('Ж'.repeat(100_000));
  });

  it('matches String.fromCharCode for any units and length', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 1000 }),
        fc.nat(),
        (codes, cut) => {
          const units = Uint16Array.from(codes);
          const length = codes.length === 0 ? 0 : cut % (codes.length + 1);
          expect(stringFromCodeUnits(units, length)).toBe(String.fromCharCode(...codes.slice(0, length)));
        },
      ),
    );
  });

  it('respects the view offset of a subarray', () => {
    const backing = Uint16Array.from('xxHello'.repeat(100), (c) => c.charCodeAt(0));
    expect(stringFromCodeUnits(backing.subarray(2))).toBe('Hello' + 'xxHello'.repeat(99));
  });
});
