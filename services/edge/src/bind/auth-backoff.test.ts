import { describe, expect, it } from 'vitest';
import { AuthBackoff } from './auth-backoff.ts';
import { TokenBuckets } from '../submit/token-bucket.ts';

describe('AuthBackoff', () => {
  const options = { baseMs: 100, maxMs: 1_000, windowMs: 60_000, maxEntries: 4 };

  it('doubles per failure of the address or the system_id, up to the maximum', () => {
    const backoff = new AuthBackoff({ ...options, now: () => 0 });
    expect([1, 2, 3, 4, 5].map(() => backoff.recordFailure('1.2.3.4', 'acme'))).toEqual([
      100, 200, 400, 800, 1_000,
    ]);
    // Another system_id from the same address is delayed by the address's count.
    expect(backoff.recordFailure('1.2.3.4', 'other')).toBe(1_000);
    // The same system_id from elsewhere, by the system_id's count.
    expect(backoff.recordFailure('5.6.7.8', 'acme')).toBe(1_000);
  });

  it('forgets failures after the window and clears a system_id on success', () => {
    let now = 0;
    const backoff = new AuthBackoff({ ...options, now: () => now });
    backoff.recordFailure('a', 's');
    backoff.recordFailure('a', 's');
    now = 60_001;
    expect(backoff.recordFailure('a', 's')).toBe(100);
    backoff.recordSuccess('s');
    expect(backoff.recordFailure('b', 's')).toBe(100);
  });

  it('keeps the address and the system_id in back-off until the delay has passed', () => {
    let now = 0;
    const backoff = new AuthBackoff({ ...options, now: () => now });
    expect(backoff.remaining('a', 's')).toBe(0);
    backoff.recordFailure('a', 's');
    backoff.recordFailure('a', 's');
    expect(backoff.remaining('a', 'other')).toBe(200);
    expect(backoff.remaining('elsewhere', 's')).toBe(200);
    now = 150;
    expect(backoff.remaining('a', 's')).toBe(50);
    now = 200;
    expect(backoff.remaining('a', 's')).toBe(0);
  });

  it("merges another pod's record: the higher count and the later end win, twice changes nothing", () => {
    let now = 1_000;
    const backoff = new AuthBackoff({ ...options, now: () => now });
    backoff.merge('system-id', 's', 3, 10, 390);
    expect(backoff.remaining('any', 's')).toBe(390);
    expect(backoff.stateOf('system-id', 's')).toEqual({ failures: 3, sinceLastMs: 10, remainingMs: 390 });
    backoff.merge('system-id', 's', 3, 10, 390);
    backoff.merge('system-id', 's', 1, 500, 0);
    expect(backoff.stateOf('system-id', 's')).toEqual({ failures: 3, sinceLastMs: 10, remainingMs: 390 });
    // This pod's next failure counts on from the merged count: 100 × 2^3.
    expect(backoff.recordFailure('a', 's')).toBe(800);
    // A record older than the window is ignored; a forgotten one is gone.
    backoff.merge('address', 'old', 5, 60_000, 0);
    expect(backoff.stateOf('address', 'old')).toBeUndefined();
    backoff.forget('system-id', 's');
    now += 1;
    expect(backoff.remaining('elsewhere', 's')).toBe(0);
  });

  it('remembers at most maxEntries keys', () => {
    const backoff = new AuthBackoff({ ...options, now: () => 0 });
    for (let i = 0; i < 1_000; i++) backoff.recordFailure(`10.0.0.${i}`, `id${i}`);
    expect(backoff.size).toBeLessThanOrEqual(4);
  });
});

describe('TokenBuckets', () => {
  it('allows a burst of one second, then refills at the rate', () => {
    let now = 0;
    const buckets = new TokenBuckets(() => now);
    const taken = Array.from({ length: 12 }, () => buckets.take('acme', 10)).filter(Boolean).length;
    expect(taken).toBe(10);
    now = 500;
    expect(Array.from({ length: 10 }, () => buckets.take('acme', 10)).filter(Boolean).length).toBe(5);
    expect(buckets.take('other', 1)).toBe(true);
    expect(buckets.take('other', 1)).toBe(false);
    buckets.delete('other');
    expect(buckets.size).toBe(1);
  });

  it('follows a changed rate, and lets a share below 1/s through now and then', () => {
    let now = 0;
    const buckets = new TokenBuckets(() => now);
    expect(Array.from({ length: 40 }, () => buckets.take('acme', 30)).filter(Boolean).length).toBe(30);
    now = 1_000;
    // The pod's share fell to 10/s: one second refills 10, and the bucket holds no more than 10.
    expect(Array.from({ length: 40 }, () => buckets.take('acme', 10)).filter(Boolean).length).toBe(10);
    expect(buckets.take('tiny', 0.5)).toBe(true);
    now = 1_500;
    expect(buckets.take('tiny', 0.5)).toBe(false);
    now = 3_000;
    expect(buckets.take('tiny', 0.5)).toBe(true);
  });
});
