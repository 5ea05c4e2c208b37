import { AckPolicy, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from './connect.ts';
import { ensureConnectorLanes, ensureDlrConsumer, ensureTopology } from './ensure-topology.ts';
import { ensureStream } from './ensure.ts';
import { TopologyError } from './errors.ts';
import {
  BucketName,
  ConsumerName,
  StreamName,
  parsePresenceKey,
  presenceFilter,
  presenceKey,
} from './topology.ts';

const NS_PER_MS = 1_000_000;
const ALL_STREAMS = [...Object.values(StreamName), ...Object.values(BucketName).map((b) => `KV_${b}`)];

let server: NatsServerHandle;
let nc: NatsConnection;
let jsm: JetStreamManager;

function connectTo(name: string): Promise<NatsConnection> {
  return connectNats({ ...server.connectOptions, name, waitOnFirstConnect: false });
}

async function streamNames(): Promise<string[]> {
  return (await jsm.streams.names().next()).sort();
}

async function consumerNames(stream: string): Promise<string[]> {
  return (await jsm.consumers.list(stream).next()).map((ci) => ci.name).sort();
}

async function deleteEverything(): Promise<void> {
  for (const name of await streamNames()) await jsm.streams.delete(name);
}

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectTo('ensure-topology-test');
  const t = await ensureTopology(nc);
  jsm = t.jsm;
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

describe('ensureTopology', () => {
  it('creates every stream, bucket and static consumer', async () => {
    await deleteEverything();
    const t = await ensureTopology(nc, { connectors: ['sim'] });
    expect(await streamNames()).toEqual([...ALL_STREAMS].sort());
    expect(Object.keys(t.streams).sort()).toEqual(['dlr', 'route', 'status', 'submit']);
    expect(await consumerNames(StreamName.submit)).toEqual([ConsumerName.router]);
    expect(await consumerNames(StreamName.status)).toEqual([ConsumerName.dlrDispatcher]);
    expect(await consumerNames(StreamName.route)).toEqual([
      'connector-sim-p0',
      'connector-sim-p1',
      'connector-sim-p2',
      'connector-sim-p3',
    ]);
    expect(Object.keys(t.consumers).sort()).toEqual([
      'connector-sim-p0',
      'connector-sim-p1',
      'connector-sim-p2',
      'connector-sim-p3',
      'dlr-dispatcher',
      'router',
    ]);
    expect(t.consumers['router']?.config).toMatchObject({ ack_policy: AckPolicy.Explicit, max_deliver: -1 });
  });

  it('makes the KV buckets with their TTL and history, usable through the returned handles', async () => {
    const t = await ensureTopology(nc);
    const presence = await t.kv.presence.status();
    expect(presence.ttl).toBe(30_000);
    expect(presence.history).toBe(1);
    expect((await t.kv.envelopes.status()).ttl).toBe(7 * 24 * 3600 * 1000);
    const accounts = await t.kv.accounts.status();
    expect(accounts.history).toBe(10);
    expect(accounts.ttl).toBe(0);
    await t.kv.accounts.put('acme', '{"v":1}');
    await t.kv.accounts.put('acme', '{"v":2}');
    expect((await t.kv.accounts.get('acme'))?.string()).toBe('{"v":2}');
    await t.kv.presence.put(presenceKey('a.b', 'edge-1'), '');
    await t.kv.presence.put(presenceKey('a.b', 'edge-2'), '');
    await t.kv.presence.put(presenceKey('other', 'edge-1'), '');
    const holders = [];
    for await (const key of await t.kv.presence.keys(presenceFilter('a.b')))
      holders.push(parsePresenceKey(key).pod);
    expect(holders.sort()).toEqual(['edge-1', 'edge-2']);
    const history = [];
    for await (const e of await t.kv.accounts.history({ key: 'acme' })) history.push(e.string());
    expect(history).toEqual(['{"v":1}', '{"v":2}']);
  });

  it('is idempotent: a second call finds everything as wanted and changes nothing', async () => {
    const first = await ensureTopology(nc, { connectors: ['sim'] });
    const second = await ensureTopology(nc, { connectors: ['sim'] });
    for (const key of ['submit', 'route', 'status', 'dlr'] as const) {
      expect(second.streams[key].config).toEqual(first.streams[key].config);
      expect(second.streams[key].created).toBe(first.streams[key].created);
    }
    expect(second.consumers['router']?.created).toBe(first.consumers['router']?.created);
  });

  it('survives three services ensuring it at once from separate connections', async () => {
    await deleteEverything();
    const connections = await Promise.all([1, 2, 3].map((i) => connectTo(`service-${i}`)));
    try {
      const results = await Promise.allSettled(
        connections.map((c) => ensureTopology(c, { connectors: ['sim'] })),
      );
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      expect(await streamNames()).toEqual([...ALL_STREAMS].sort());
      expect(await consumerNames(StreamName.route)).toHaveLength(4);
    } finally {
      await Promise.all(connections.map((c) => c.close()));
    }
  });

  it('converges when services start at once with different options (a rolling upgrade)', async () => {
    await deleteEverything();
    const connections = await Promise.all([1, 2].map((i) => connectTo(`version-${i}`)));
    try {
      const results = await Promise.allSettled([
        ensureTopology(connections[0]!, { dlrBacklogMax: 100, router: { maxAckPending: 10 } }),
        ensureTopology(connections[1]!, { dlrBacklogMax: 200, router: { maxAckPending: 20 } }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      expect([100, 200]).toContain((await jsm.streams.info(StreamName.dlr)).config.max_msgs_per_subject);
      expect([10, 20]).toContain(
        (await jsm.consumers.info(StreamName.submit, 'router')).config.max_ack_pending,
      );
    } finally {
      await Promise.all(connections.map((c) => c.close()));
    }
  });

  it('applies changed options to what exists', async () => {
    await ensureTopology(nc);
    await ensureTopology(nc, {
      dlrBacklogMax: 10,
      duplicateWindowMs: 30_000,
      presenceTtlMs: 10_000,
      envelopeTtlMs: 3_600_000,
      router: { maxAckPending: 50, ackWaitMs: 5_000 },
    });
    const dlr = await jsm.streams.info(StreamName.dlr);
    expect(dlr.config.max_msgs_per_subject).toBe(10);
    expect(dlr.config.duplicate_window).toBe(30_000 * NS_PER_MS);
    expect((await jsm.streams.info(StreamName.submit)).config.duplicate_window).toBe(30_000 * NS_PER_MS);
    expect((await jsm.streams.info('KV_presence')).config.max_age).toBe(10_000 * NS_PER_MS);
    expect((await jsm.streams.info('KV_envelopes')).config.max_age).toBe(3_600_000 * NS_PER_MS);
    const router = await jsm.consumers.info(StreamName.submit, ConsumerName.router);
    expect(router.config.max_ack_pending).toBe(50);
    expect(router.config.ack_wait).toBe(5_000 * NS_PER_MS);
    // And back to the defaults.
    await ensureTopology(nc);
    expect((await jsm.streams.info(StreamName.dlr)).config.max_msgs_per_subject).toBe(25_000);
  });

  it('says what cannot be changed when an existing stream is incompatible', async () => {
    await jsm.streams.delete(StreamName.status);
    await jsm.streams.add({ name: StreamName.status, subjects: ['sms.status.*'] });
    const err: unknown = await ensureTopology(nc).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TopologyError);
    expect((err as Error).message).toMatch(/stream SMS_STATUS: cannot update .*retention/);
    await jsm.streams.delete(StreamName.status);
    await ensureTopology(nc);
  });

  it('reports a stream the server refuses to create', async () => {
    await expect(
      ensureStream(jsm, {
        name: 'BROKEN',
        subjects: ['broken'],
        max_age: 1_000,
        duplicate_window: 60_000_000_000,
      }),
    ).rejects.toThrow(/stream BROKEN: cannot create/);
  });
});

describe('on-demand consumers', () => {
  it('creates a DLR consumer per account, filtered to its subject, and updates it when options change', async () => {
    const created = await ensureDlrConsumer(jsm, 'a.b', { dlrInactiveThresholdMs: 60_000 });
    expect(created.name).toBe('dlr-a=2Eb');
    expect(created.config).toMatchObject({
      filter_subject: 'sms.dlr.a=2Eb',
      inactive_threshold: 60_000 * NS_PER_MS,
      ack_policy: AckPolicy.Explicit,
    });
    const again = await ensureDlrConsumer(jsm, 'a.b', { dlrInactiveThresholdMs: 60_000 });
    expect(again.created).toBe(created.created);
    const updated = await ensureDlrConsumer(jsm, 'a.b', {
      dlrInactiveThresholdMs: 120_000,
      dlrAccount: { maxAckPending: 8 },
    });
    expect(updated.config).toMatchObject({ inactive_threshold: 120_000 * NS_PER_MS, max_ack_pending: 8 });
  });

  it('creates the four lanes of a connector', async () => {
    const lanes = await ensureConnectorLanes(jsm, 'upstream.eu');
    expect(lanes.map((ci) => [ci.name, ci.config.filter_subject])).toEqual([
      ['connector-upstream=2Eeu-p0', 'sms.route.upstream=2Eeu.0'],
      ['connector-upstream=2Eeu-p1', 'sms.route.upstream=2Eeu.1'],
      ['connector-upstream=2Eeu-p2', 'sms.route.upstream=2Eeu.2'],
      ['connector-upstream=2Eeu-p3', 'sms.route.upstream=2Eeu.3'],
    ]);
  });
});
