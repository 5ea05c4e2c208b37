import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleTimer } from './idle-timer.ts';

describe('IdleTimer', () => {
  let lastActivity = 0;
  const idleFor = (): number => Date.now() - lastActivity;

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    lastActivity = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires after ms of inactivity, then every ms while idle', () => {
    const fired: number[] = [];
    const timer = new IdleTimer(100, idleFor, () => fired.push(Date.now()));
    vi.advanceTimersByTime(99);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([100]);
    vi.advanceTimersByTime(200);
    expect(fired).toEqual([100, 200, 300]);
    timer.stop();
  });

  it('re-arms for the remaining time after activity instead of firing', () => {
    const fired: number[] = [];
    const timer = new IdleTimer(100, idleFor, () => fired.push(Date.now()));
    vi.advanceTimersByTime(60);
    lastActivity = Date.now();
    vi.advanceTimersByTime(40);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(59);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([160]);
    timer.stop();
  });

  it('never fires once stopped, even from inside onIdle', () => {
    let count = 0;
    const timer: IdleTimer = new IdleTimer(10, idleFor, () => {
      count += 1;
      timer.stop();
    });
    vi.advanceTimersByTime(1000);
    expect(count).toBe(1);
    const stopped = new IdleTimer(10, idleFor, () => (count += 100));
    stopped.stop();
    vi.advanceTimersByTime(1000);
    expect(count).toBe(1);
  });
});
