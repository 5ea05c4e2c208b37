import { describe, expect, it } from 'vitest';
import { parseDurationMs } from './duration.ts';

describe('parseDurationMs', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1h2m3s4ms', 3_723_004],
    ['1.5s', 1500],
    ['0.25s', 250],
    ['30000', 30_000],
    ['0', 0],
    ['0s', 0],
    ['  25s ', 25_000],
  ])('parses %j as %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each([
    '',
    'abc',
    '-5s',
    '5 s',
    '5S',
    '5sec',
    's',
    '1.5',
    '5d',
    '1e3',
    '0x10',
    '30s!',
    '99999999999999999999',
  ])('rejects %j', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });

  it('round-trips whole amounts of every unit', () => {
    const factors = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
    for (const [unit, factor] of Object.entries(factors)) {
      for (const amount of [0, 1, 7, 59, 60, 999, 1000, 86_400]) {
        expect(parseDurationMs(`${amount}${unit}`)).toBe(amount * factor);
      }
    }
  });

  it('never throws on arbitrary short strings from the duration alphabet', () => {
    // A seeded generator keeps this deterministic; the alphabet makes near-misses likely.
    const alphabet = '0123456789.msh -+eS';
    let seed = 42;
    const next = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed;
    };
    for (let i = 0; i < 5000; i++) {
      let text = '';
      for (let n = next() % 10; n > 0; n--) text += alphabet[next() % alphabet.length] ?? '';
      const ms = parseDurationMs(text);
      if (ms !== undefined) {
        expect(Number.isSafeInteger(ms) && ms >= 0).toBe(true);
      }
    }
  });
});
