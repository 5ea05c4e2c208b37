import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsFixture, testLogger, type NatsFixture } from '../edge.test-support.ts';
import { leasedMessageIds } from './message-id-source.ts';
import { nodeLeaseKey } from '@smsgw/nats';
import { NodeIdLease } from './node-id-lease.ts';
import { parseMessageId } from './message-id-generator.ts';

let nats: NatsFixture;
const logger = testLogger();

beforeAll(async () => {
  // A short TTL: leases renew every 500 ms.
  nats = await startNatsFixture({ presenceTtlMs: 1_500 });
});

afterAll(async () => {
  await nats.stop();
});

function options(pod: string, firstTry?: number) {
  return {
    kv: nats.topology.kv.presence,
    ttlMs: nats.topology.options.presenceTtlMs,
    pod,
    logger,
    ...(firstTry === undefined ? {} : { firstTry }),
  };
}

describe('NodeIdLease', () => {
  it('gives concurrent pods distinct node ids, even when they all try the same one first', async () => {
    const leases = await Promise.all(
      Array.from({ length: 8 }, (_, i) => NodeIdLease.acquire(options(`edge-${i}`, 5))),
    );
    expect(new Set(leases.map((l) => l.nodeId)).size).toBe(8);
    expect(leases.every((l) => l.valid)).toBe(true);
    await Promise.all(leases.map((l) => l.release()));
  });

  it('frees the node id on release, so the next pod may take it', async () => {
    const first = await NodeIdLease.acquire(options('edge-a', 40));
    expect(first.nodeId).toBe(40);
    await first.release();
    expect(first.valid).toBe(false);
    const second = await NodeIdLease.acquire(options('edge-b', 40));
    expect(second.nodeId).toBe(40);
    await second.release();
  });

  it('marks the lease lost when its key was taken over, and stops making ids', async () => {
    const lease = await NodeIdLease.acquire(options('edge-c', 60));
    let lost = false;
    lease.onLost(() => {
      lost = true;
    });
    // Someone else wrote the key (as after an expiry and a takeover).
    await nats.topology.kv.presence.put(nodeLeaseKey(60), 'other');
    await lease.renew();
    expect(lost).toBe(true);
    expect(lease.valid).toBe(false);
    await lease.release();
    await nats.topology.kv.presence.delete(nodeLeaseKey(60));
  });

  it('counts as held only while confirmed within the TTL (clock injected)', async () => {
    let now = 0;
    const lease = await NodeIdLease.acquire({ ...options('edge-d', 70), now: () => now });
    expect(lease.valid).toBe(true);
    now = nats.topology.options.presenceTtlMs;
    expect(lease.valid).toBe(false);
    await lease.renew();
    expect(lease.valid).toBe(true);
    await lease.release();
  });
});

describe('leasedMessageIds', () => {
  it('makes ids with the leased node id and leases a new one when the lease is lost', async () => {
    const ids = await leasedMessageIds(options('edge-e'));
    const nodeId = ids.nodeId;
    expect(nodeId).toBeDefined();
    expect(parseMessageId(ids.next()).nodeId).toBe(nodeId);
    await nats.topology.kv.presence.put(nodeLeaseKey(nodeId ?? -1), 'taken');
    // The next renewal finds the key changed; a new node id is leased (bounded wait).
    for (let i = 0; i < 100 && (ids.nodeId === nodeId || ids.nodeId === undefined); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ids.nodeId).toBeDefined();
    expect(ids.nodeId).not.toBe(nodeId);
    expect(parseMessageId(ids.next()).nodeId).toBe(ids.nodeId);
    await ids.close();
    await nats.topology.kv.presence.delete(nodeLeaseKey(nodeId ?? -1));
  });
});
