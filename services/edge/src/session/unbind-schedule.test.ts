import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unbindDelayMs } from './unbind-schedule.ts';

describe('unbindDelayMs', () => {
  it('unbinds at once without a window or with one session', () => {
    expect(unbindDelayMs(0, 1, 5_000)).toBe(0);
    expect(unbindDelayMs(3, 10, 0)).toBe(0);
  });

  it('spreads sessions evenly over the window: first at once, all within it, in order', () => {
    expect([0, 1, 2, 3].map((i) => unbindDelayMs(i, 4, 2_000))).toEqual([0, 500, 1_000, 1_500]);
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5_000 }),
        fc.integer({ min: 1, max: 600_000 }),
        (count, spread) => {
          const delays = Array.from({ length: count }, (_, i) => unbindDelayMs(i, count, spread));
          expect(delays[0]).toBe(0);
          expect(Math.max(...delays)).toBeLessThan(spread);
          for (let i = 1; i < count; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] ?? 0);
        },
      ),
    );
  });
});
