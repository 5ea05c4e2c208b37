import { describe, expect, it } from 'vitest';
import { WarningLimiter } from './warning-limiter.ts';

describe('WarningLimiter', () => {
  it('lets one warning per key through per interval', () => {
    const limiter = new WarningLimiter(1_000);
    expect(limiter.shouldWarn('a', 0)).toBe(true);
    expect(limiter.shouldWarn('a', 999)).toBe(false);
    expect(limiter.shouldWarn('b', 999)).toBe(true);
    expect(limiter.shouldWarn('a', 1_000)).toBe(true);
    expect(limiter.shouldWarn('a', 1_500)).toBe(false);
  });

  it('forgets everything rather than grow past its key limit', () => {
    const limiter = new WarningLimiter(1_000, 2);
    expect(limiter.shouldWarn('a', 0)).toBe(true);
    expect(limiter.shouldWarn('b', 0)).toBe(true);
    expect(limiter.shouldWarn('c', 0)).toBe(true); // the map was cleared to make room
    expect(limiter.shouldWarn('a', 0)).toBe(true);
    expect(limiter.shouldWarn('a', 1)).toBe(false);
  });
});
