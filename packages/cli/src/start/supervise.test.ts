import { describe, expect, it } from 'vitest';
import { RESTART_BACKOFF, restartDelayMs } from './supervise.ts';

describe('restartDelayMs', () => {
  it('doubles per restart in a row from 1 s up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => restartDelayMs(n))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect(RESTART_BACKOFF.resetAfterMs).toBe(60_000);
  });
});
