import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry.ts';

describe('retryDelayMs', () => {
  const policy = { minMs: 1_000, maxMs: 30_000 };

  it('doubles from the minimum per delivery and stops at the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 100].map((n) => retryDelayMs(policy, n))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('treats a missing or nonsensical delivery count as the first delivery', () => {
    expect(retryDelayMs(policy, 0)).toBe(1_000);
    expect(retryDelayMs(policy, -5)).toBe(1_000);
  });

  it('always lies within [min, max] and never decreases with more deliveries', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 0, max: 60_000 }),
        fc.integer({ min: -10, max: 10_000 }),
        (minMs, extra, n) => {
          const p = { minMs, maxMs: minMs + extra };
          const d = retryDelayMs(p, n);
          expect(d).toBeGreaterThanOrEqual(p.minMs);
          expect(d).toBeLessThanOrEqual(p.maxMs);
          expect(retryDelayMs(p, n + 1)).toBeGreaterThanOrEqual(d);
        },
      ),
    );
  });
});
