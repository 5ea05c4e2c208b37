/**
 * The limits across pods against a real nats-server: two pods' ClusterBinds
 * on one binds bucket, and two pods' back-offs shared through the
 * bind-failures bucket (README "Limits across pods").
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthBackoff } from './auth-backoff.ts';
import { BindFailureSync } from './bind-failure-sync.ts';
import { ClusterBinds } from './cluster-binds.ts';
import { startNatsFixture, testLogger, type NatsFixture } from '../edge.test-support.ts';

let nats: NatsFixture;

beforeAll(async () => {
  nats = await startNatsFixture({ presenceTtlMs: 3_000 });
});

afterAll(async () => {
  await nats.stop();
});

/** Polls `check` until it holds (every 20 ms, at most 10 s). */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in 10 s');
    await sleep(20);
  }
}

function pod(name: string, now?: () => number): ClusterBinds {
  return new ClusterBinds({
    kv: nats.topology.kv.binds,
    pod: name,
    ttlMs: 3_000,
    logger: testLogger(),
    ...(now === undefined ? {} : { now }),
  });
}

describe('ClusterBinds', () => {
  it("counts the other pods' sessions and shares the rate by submitting sessions, as sessions come and go", async () => {
    const a = pod('edge-a');
    const b = pod('edge-b');
    await Promise.all([a.start(), b.start()]);
    a.bound('acme', 'transmitter');
    a.bound('acme', 'receiver');
    b.bound('acme', 'transceiver');
    b.bound('acme', 'transmitter');
    b.bound('acme', 'transmitter');
    await until(() => a.sessionsOf('acme') === 5 && b.sessionsOf('acme') === 5);
    // a has 1 of the 4 submitting sessions, b 3.
    expect(a.rateShare('acme', 100)).toBe(25);
    expect(b.rateShare('acme', 100)).toBe(75);
    expect(a.sessionsOf('other')).toBe(0);

    b.unbound('acme', 'transmitter');
    b.unbound('acme', 'transmitter');
    await until(() => a.sessionsOf('acme') === 3);
    expect(a.rateShare('acme', 100)).toBe(50);

    // Closing deletes the pod's entries at once.
    await b.close();
    await until(() => a.sessionsOf('acme') === 2);
    expect(a.rateShare('acme', 100)).toBe(100);
    await a.close();
  });

  it('drops a pod that stopped refreshing after one TTL', async () => {
    let now = 0;
    const a = pod('edge-c', () => now);
    const dead = pod('edge-dead');
    await Promise.all([a.start(), dead.start()]);
    dead.bound('zeta', 'transmitter');
    await until(() => a.sessionsOf('zeta') === 1);
    now = 3_001;
    a.sweep();
    expect(a.sessionsOf('zeta')).toBe(0);
    await Promise.all([a.close(), dead.close()]);
  });

  it('counts only its own sessions without a bucket', () => {
    const alone = new ClusterBinds({ pod: 'solo', logger: testLogger() });
    alone.bound('acme', 'transmitter');
    expect(alone.sessionsOf('acme')).toBe(1);
    expect(alone.rateShare('acme', 100)).toBe(100);
  });
});

describe('BindFailureSync', () => {
  const options = { baseMs: 1_000, maxMs: 60_000, windowMs: 60_000, maxEntries: 100 };

  it("puts another pod's failed binds into this pod's back-off, and a success there clears them here", async () => {
    const backoffA = new AuthBackoff(options);
    const backoffB = new AuthBackoff(options);
    const syncA = new BindFailureSync({
      kv: nats.topology.kv.bindFailures,
      backoff: backoffA,
      logger: testLogger(),
    });
    const syncB = new BindFailureSync({
      kv: nats.topology.kv.bindFailures,
      backoff: backoffB,
      logger: testLogger(),
    });
    await Promise.all([syncA.start(), syncB.start()]);

    backoffA.recordFailure('192.0.2.7', 'guarded');
    syncA.failed('192.0.2.7', 'guarded');
    backoffA.recordFailure('192.0.2.7', 'guarded');
    syncA.failed('192.0.2.7', 'guarded');
    await until(() => backoffB.stateOf('system-id', 'guarded')?.failures === 2);
    expect(backoffB.remaining('198.51.100.1', 'guarded')).toBeGreaterThan(1_000);
    expect(backoffB.remaining('192.0.2.7', 'someone-else')).toBeGreaterThan(1_000);
    // b's next failure counts on from a's: 1 s × 2².
    expect(backoffB.recordFailure('198.51.100.1', 'guarded')).toBe(4_000);
    syncB.failed('198.51.100.1', 'guarded');
    await until(() => backoffA.stateOf('system-id', 'guarded')?.failures === 3);

    expect(backoffB.recordSuccess('guarded')).toBe(true);
    syncB.succeeded('guarded');
    await until(() => backoffA.stateOf('system-id', 'guarded') === undefined);
    await Promise.all([syncA.close(), syncB.close()]);
  });
});
