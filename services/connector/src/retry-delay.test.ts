import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-delay.ts';

describe('retryDelayMs', () => {
  const policy = { minMs: 1_000, maxMs: 60_000 };

  it('doubles from the minimum per delivery and stops at the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n, policy))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000,
    ]);
  });

  it('treats a delivery count below 1 as the first and never overflows', () => {
    expect(retryDelayMs(0, policy)).toBe(1_000);
    expect(retryDelayMs(10_000, policy)).toBe(60_000);
  });

  it('is always within [min(minMs, maxMs), maxMs] and never decreases', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 200 }),
        (minMs, maxMs, n) => {
          const p = { minMs, maxMs };
          const d = retryDelayMs(n, p);
          expect(d).toBeGreaterThanOrEqual(Math.min(minMs, maxMs));
          expect(d).toBeLessThanOrEqual(maxMs);
          expect(retryDelayMs(n + 1, p)).toBeGreaterThanOrEqual(d);
        },
      ),
    );
  });
});
