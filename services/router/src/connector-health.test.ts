import type { ConnectorHealthEntry } from '@smsgw/nats';
import { describe, expect, it } from 'vitest';
import { ConnectorHealth } from './connector-health.ts';

const FAILOVER_MS = 30_000;
const TTL_MS = 9_000;
const T0 = Date.parse('2026-05-01T00:00:00.000Z');

function entry(connector: string, pod: string, ready: boolean, lastReadyMs?: number): ConnectorHealthEntry {
  return {
    connector,
    pod,
    ready,
    since: new Date(T0).toISOString(),
    ...(lastReadyMs === undefined ? {} : { lastReadyAt: new Date(lastReadyMs).toISOString() }),
    ttlMs: TTL_MS,
    updatedAt: new Date(T0).toISOString(),
  };
}

describe('ConnectorHealth: down = no replica ready for failoverAfterMs', () => {
  it('a connector with a ready replica is up, however long ago the router started', () => {
    const health = new ConnectorHealth(FAILOVER_MS, T0);
    health.put(entry('a', 'a-0', true), T0);
    expect(health.isDown('a', T0 + 5_000)).toBe(false);
  });

  it('a connector nobody announced is down once failoverAfterMs has passed since the watch began', () => {
    const health = new ConnectorHealth(FAILOVER_MS, T0);
    expect(health.isDown('ghost', T0 + FAILOVER_MS - 1)).toBe(false);
    expect(health.isDown('ghost', T0 + FAILOVER_MS)).toBe(true);
  });

  it('turning unready starts the clock; a second ready replica keeps it up', () => {
    const health = new ConnectorHealth(FAILOVER_MS, T0);
    health.put(entry('a', 'a-0', true), T0);
    health.put(entry('a', 'a-1', true), T0);
    health.put(entry('a', 'a-0', false, T0 + 3_000), T0 + 3_000);
    expect(health.isDown('a', T0 + 8_000)).toBe(false); // a-1 is still ready
    health.put(entry('a', 'a-1', true), T0 + 8_000); // rewritten
    const last = T0 + 9_000;
    health.put(entry('a', 'a-1', false, last), last);
    // Both keep rewriting their unready entries, every 8 s (within the TTL).
    for (let t = last + 8_000; t < last + FAILOVER_MS; t += 8_000) {
      health.put(entry('a', 'a-0', false, T0 + 3_000), t);
      health.put(entry('a', 'a-1', false, last), t);
    }
    expect(health.isDown('a', last + FAILOVER_MS - 1)).toBe(false);
    expect(health.isDown('a', last + FAILOVER_MS)).toBe(true);
  });

  it('back: one replica ready again makes it up at once', () => {
    const health = new ConnectorHealth(FAILOVER_MS, T0);
    health.put(entry('a', 'a-0', false), T0);
    expect(health.isDown('a', T0 + FAILOVER_MS)).toBe(true);
    health.put(entry('a', 'a-0', true), T0 + FAILOVER_MS + 1);
    expect(health.isDown('a', T0 + FAILOVER_MS + 1)).toBe(false);
  });

  it('a withdrawn ready replica (shutdown) counts as ready until it left', () => {
    const health = new ConnectorHealth(FAILOVER_MS, T0);
    health.put(entry('a', 'a-0', true), T0);
    health.remove('a', 'a-0', T0 + 10_000);
    expect(health.isDown('a', T0 + 10_000 + FAILOVER_MS - 1)).toBe(false);
    expect(health.isDown('a', T0 + 10_000 + FAILOVER_MS)).toBe(true);
    health.remove('a', 'never-seen', T0); // harmless
  });

  it('a replica that stops rewriting its entry (kill -9) is gone after its TTL, ready until last seen', () => {
    const health = new ConnectorHealth(FAILOVER_MS, T0);
    health.put(entry('a', 'a-0', true), T0 + 1_000);
    expect(health.isDown('a', T0 + 1_000 + TTL_MS)).toBe(false); // still within its TTL
    expect(health.isDown('a', T0 + 1_000 + TTL_MS + 1)).toBe(false); // expired, but ready 9 s ago
    expect(health.isDown('a', T0 + 1_000 + FAILOVER_MS)).toBe(true);
    expect(health.snapshot()).toEqual({ a: { ready: 0, replicas: 0 } });
  });

  it("believes a writer's lastReadyAt: a router that starts late fails over at once", () => {
    const start = T0 + 10 * 60_000;
    const health = new ConnectorHealth(FAILOVER_MS, start);
    health.put(entry('a', 'a-0', false, T0), start);
    expect(health.isDown('a', start)).toBe(true);
    // ... but never a lastReadyAt from the future (a skewed clock).
    health.put(entry('b', 'b-0', false, start + 60_000), start);
    expect(health.isDown('b', start + FAILOVER_MS - 1)).toBe(false);
    expect(health.isDown('b', start + FAILOVER_MS)).toBe(true);
  });

  it('keeps connectors apart', () => {
    const health = new ConnectorHealth(FAILOVER_MS, T0);
    health.put(entry('a', 'p', true), T0);
    health.put(entry('b', 'p', false), T0);
    health.put(entry('a', 'p', true), T0 + 25_000);
    health.put(entry('b', 'p', false), T0 + 25_000);
    expect([health.isDown('a', T0 + FAILOVER_MS), health.isDown('b', T0 + FAILOVER_MS)]).toEqual([
      false,
      true,
    ]);
    expect(health.snapshot()).toEqual({ a: { ready: 1, replicas: 1 }, b: { ready: 0, replicas: 1 } });
  });
});
