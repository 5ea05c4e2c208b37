import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.ts';

describe('TokenBucket', () => {
  it('gives a second’s worth at once, then one token per 1/rate s', async () => {
    let now = 0;
    const bucket = new TokenBucket(2, () => now);
    await bucket.take();
    await bucket.take();
    let third = false;
    const waiting = bucket.take().then(() => {
      third = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(third).toBe(false);
    now = 500;
    await waiting;
    expect(third).toBe(true);
  });

  it('pauses every taker after pause()', () => {
    let now = 0;
    const bucket = new TokenBucket(0, () => now);
    bucket.pause(1_000);
    expect(bucket.paused).toBe(true);
    now = 1_000;
    expect(bucket.paused).toBe(false);
  });

  it('rejects a waiter whose signal aborts', async () => {
    const bucket = new TokenBucket(0);
    bucket.pause(60_000);
    const abort = new AbortController();
    const taken = bucket.take(abort.signal);
    abort.abort(new Error('shutdown'));
    await expect(taken).rejects.toThrow('shutdown');
  });
});
