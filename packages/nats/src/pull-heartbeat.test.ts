import { describe, expect, it } from 'vitest';
import { pullOptions } from './pull-heartbeat.ts';

describe('pullOptions', () => {
  it('asks for a heartbeat every second, so that a pull lost with its consumer leader is noticed within about 2 s', () => {
    expect(pullOptions(256, 5_000)).toEqual({ max_messages: 256, expires: 5_000, idle_heartbeat: 1_000 });
    expect(pullOptions(10, 30_000).idle_heartbeat).toBe(1_000);
  });

  it('keeps the heartbeat within half the expiry and above the client floor of 500 ms', () => {
    expect(pullOptions(1, 1_000).idle_heartbeat).toBe(500);
    expect(pullOptions(1, 1_500).idle_heartbeat).toBe(750);
  });
});
