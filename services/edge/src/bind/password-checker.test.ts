import { TEST_PASSWORD, TEST_PASSWORD_HASH } from '../edge.test-support.ts';
import { describe, expect, it } from 'vitest';
import { PasswordChecker } from './password-checker.ts';

const options = { maxConcurrent: 2, maxPerAddress: 1, maxQueued: 3, cacheTtlMs: 60_000, cacheEntries: 2 };

describe('PasswordChecker', () => {
  it('runs at most maxConcurrent checks, queues maxQueued, refuses the rest and one address beyond maxPerAddress', async () => {
    const checker = new PasswordChecker(options);
    let peak = 0;
    const verdicts = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        // Addresses a0..a4 twice each: the second of each is over the per-address limit.
        const verdict = await checker.verify(
          `a${i % 5}`,
          'acme',
          i === 0 ? TEST_PASSWORD : 'wrong',
          TEST_PASSWORD_HASH,
          () => {
            peak = Math.max(peak, checker.active);
            return false;
          },
        );
        return verdict;
      }),
    );
    expect(peak).toBeLessThanOrEqual(2);
    expect(verdicts.filter((v) => v === 'busy')).toHaveLength(5);
    expect(verdicts.filter((v) => v === 'mismatch')).toHaveLength(4);
    expect(verdicts[0]).toBe('match');
    expect(checker.active).toBe(0);
  });

  it('skips scrypt for a check whose connection went away while it waited', async () => {
    const checker = new PasswordChecker(options);
    expect(await checker.verify('a', 'acme', TEST_PASSWORD, TEST_PASSWORD_HASH, () => true)).toBe('busy');
    expect(checker.cached('acme', TEST_PASSWORD, TEST_PASSWORD_HASH)).toBe(false);
  });

  it('remembers a verified pair for its stored hash only (a password change misses) and forgets it after the TTL', async () => {
    let now = 0;
    const checker = new PasswordChecker({ ...options, now: () => now });
    expect(checker.cached('acme', TEST_PASSWORD, TEST_PASSWORD_HASH)).toBe(false);
    expect(await checker.verify('a', 'acme', TEST_PASSWORD, TEST_PASSWORD_HASH)).toBe('match');
    expect(checker.cached('acme', TEST_PASSWORD, TEST_PASSWORD_HASH)).toBe(true);
    expect(checker.cached('acme', 'wrong', TEST_PASSWORD_HASH)).toBe(false);
    expect(checker.cached('other', TEST_PASSWORD, TEST_PASSWORD_HASH)).toBe(false);
    // The password changed: the stored hash is another one.
    expect(checker.cached('acme', TEST_PASSWORD, `${TEST_PASSWORD_HASH}x`)).toBe(false);
    expect(checker.cached('acme', TEST_PASSWORD, TEST_PASSWORD_HASH)).toBe(false);
    expect(await checker.verify('a', 'acme', TEST_PASSWORD, TEST_PASSWORD_HASH)).toBe('match');
    now = 60_001;
    expect(checker.cached('acme', TEST_PASSWORD, TEST_PASSWORD_HASH)).toBe(false);
  });

  it('remembers at most cacheEntries pairs', async () => {
    const checker = new PasswordChecker(options);
    for (const id of ['a', 'b', 'c']) await checker.verify(id, id, TEST_PASSWORD, TEST_PASSWORD_HASH);
    expect(checker.cacheSize).toBe(2);
    expect(checker.cached('a', TEST_PASSWORD, TEST_PASSWORD_HASH)).toBe(false);
    expect(checker.cached('c', TEST_PASSWORD, TEST_PASSWORD_HASH)).toBe(true);
  });
});
