import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SEQUENCE_NUMBER, SequenceGenerator, nextSequenceNumber } from './sequence.ts';

describe('sequence numbers', () => {
  it('start at 1 and count up', () => {
    const seq = new SequenceGenerator();
    expect([seq.next(), seq.next(), seq.next()]).toEqual([1, 2, 3]);
    expect(seq.last).toBe(3);
  });

  it('wrap from 0x7FFFFFFF to 1, never 0 (spec §3.2)', () => {
    const seq = new SequenceGenerator(MAX_SEQUENCE_NUMBER - 1);
    expect(seq.next()).toBe(0x7fffffff);
    expect(seq.next()).toBe(1);
    expect(seq.next()).toBe(2);
  });

  it('always stay within 1..0x7FFFFFFF', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1, max: 0xffffffff }), (current) => {
        const next = nextSequenceNumber(current);
        expect(next).toBeGreaterThanOrEqual(1);
        expect(next).toBeLessThanOrEqual(MAX_SEQUENCE_NUMBER);
        if (current >= 1 && current < MAX_SEQUENCE_NUMBER) expect(next).toBe(current + 1);
      }),
    );
  });
});
