import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawLatencyMs } from './sim-latency.ts';

describe('drawLatencyMs', () => {
  it('stays within the range, both ends reachable', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.nat(10_000),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        (a, b, r) => {
          const range = { minMs: Math.min(a, b), maxMs: Math.max(a, b) };
          const ms = drawLatencyMs(range, () => r);
          expect(ms).toBeGreaterThanOrEqual(range.minMs);
          expect(ms).toBeLessThanOrEqual(range.maxMs);
        },
      ),
    );
    expect(drawLatencyMs({ minMs: 500, maxMs: 3_000 }, () => 0)).toBe(500);
    expect(drawLatencyMs({ minMs: 500, maxMs: 3_000 }, () => 0.999_999_9)).toBe(3_000);
  });

  it('gives the one value of a single duration', () => {
    expect(drawLatencyMs({ minMs: 50, maxMs: 50 }, Math.random)).toBe(50);
  });
});
