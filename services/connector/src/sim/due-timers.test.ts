import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DueTimers } from './due-timers.ts';

describe('DueTimers', () => {
  it('calls each callback once, not before it is due, in due order across slots', async () => {
    const timers = new DueTimers(10);
    const calls: string[] = [];
    const startedAt = Date.now();
    const at: Record<string, number> = {};
    for (const [name, delay] of [
      ['late', 60],
      ['early', 20],
      ['early2', 20],
      ['now', 0],
    ] as const) {
      timers.add(delay, () => {
        calls.push(name);
        at[name] = Date.now() - startedAt;
      });
    }
    expect(timers.size).toBe(4);
    await sleep(120);
    expect(calls).toEqual(['now', 'early', 'early2', 'late']);
    expect(at['late']).toBeGreaterThanOrEqual(59);
    expect(at['early']).toBeGreaterThanOrEqual(19);
    expect(timers.size).toBe(0);
  });

  it('calls everything at once on flush, and nothing again later', async () => {
    const timers = new DueTimers(10);
    let calls = 0;
    for (let i = 0; i < 100; i++) {
      timers.add(1_000 + i, () => {
        calls++;
      });
    }
    timers.flush();
    expect(calls).toBe(100);
    expect(timers.size).toBe(0);
    await sleep(30);
    expect(calls).toBe(100);
  });
});
