import { describe, expect, it } from 'vitest';
import { LogThrottle } from './log-throttle.ts';

describe('LogThrottle', () => {
  it('logs the first occurrence, then one per interval counting the ones skipped', () => {
    let now = 0;
    const throttle = new LogThrottle(1_000, () => now);
    expect(throttle.take()).toBe(1);
    expect([1, 2, 3].map(() => throttle.take())).toEqual([undefined, undefined, undefined]);
    now = 1_000;
    expect(throttle.take()).toBe(4);
    now = 1_500;
    expect(throttle.take()).toBeUndefined();
  });
});
