import { AckPolicy, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from './connect.ts';
import { ensureConnectorLanes, ensureDlrConsumer, ensureTopology } from './ensure-topology.ts';
import { readDlrBacklogLimits } from './dlr-backlog-limits.ts';
import {
  ensureConnectorHealthBucket,
  ensureUpstreamIdsBucket,
  readConnectorBucketTtls,
} from './connector-bucket-ttls.ts';
import { ensureStream } from './ensure.ts';
import { TopologyError } from './errors.ts';
import {
  BucketName,
  ConnectorHealthBucket,
  ConsumerName,
  StreamName,
  UPSTREAM_IDS_BUCKET,
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
  const t = await ensureTopology(nc, { owner: 'all' });
  jsm = t.jsm;
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

describe('ensureTopology', () => {
  it('creates every stream, bucket and static consumer', async () => {
    await deleteEverything();
    const t = await ensureTopology(nc, { owner: 'all', connectors: ['sim'] });
    expect(await streamNames()).toEqual([...ALL_STREAMS].sort());
    expect(Object.keys(t.streams).sort()).toEqual([
      'dlr',
      'dlrPriority',
      'mo',
      'route',
      'sim',
      'status',
      'statusPriority',
      'submit',
      'submitPriority',
    ]);
    expect(await consumerNames(StreamName.submit)).toEqual([ConsumerName.router]);
    expect(await consumerNames(StreamName.status)).toEqual([ConsumerName.dlrDispatcher]);
    expect(await consumerNames(StreamName.mo)).toEqual([ConsumerName.moDispatcher]);
    expect(await consumerNames(StreamName.submitPriority)).toEqual(['router-p1', 'router-p2', 'router-p3']);
    expect(await consumerNames(StreamName.statusPriority)).toEqual([
      'dlr-dispatcher-p1',
      'dlr-dispatcher-p2',
      'dlr-dispatcher-p3',
    ]);
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
      'dlr-dispatcher-mo',
      'dlr-dispatcher-p1',
      'dlr-dispatcher-p2',
      'dlr-dispatcher-p3',
      'router',
      'router-p1',
      'router-p2',
      'router-p3',
    ]);
    expect(t.consumers['router']?.config).toMatchObject({ ack_policy: AckPolicy.Explicit, max_deliver: -1 });
  });

  it('makes the KV buckets with their TTL and history, usable through the returned handles', async () => {
    const t = await ensureTopology(nc, { owner: 'all' });
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
    const first = await ensureTopology(nc, { owner: 'all', connectors: ['sim'] });
    const second = await ensureTopology(nc, { owner: 'all', connectors: ['sim'] });
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
        connections.map((c) => ensureTopology(c, { owner: 'all', connectors: ['sim'] })),
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
        ensureTopology(connections[0]!, { owner: 'all', dlrBacklogMax: 100, router: { maxAckPending: 10 } }),
        ensureTopology(connections[1]!, { owner: 'all', dlrBacklogMax: 200, router: { maxAckPending: 20 } }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      // Priority 0 keeps the total less three priority backlogs of 4% each: 100 − 3 × 4, 200 − 3 × 8.
      expect([88, 176]).toContain((await jsm.streams.info(StreamName.dlr)).config.max_msgs_per_subject);
      expect([10, 20]).toContain(
        (await jsm.consumers.info(StreamName.submit, 'router')).config.max_ack_pending,
      );
    } finally {
      await Promise.all(connections.map((c) => c.close()));
    }
  });

  it('applies changed options to what exists', async () => {
    await ensureTopology(nc, { owner: 'all' });
    await ensureTopology(nc, {
      owner: 'all',
      dlrBacklogMax: 10,
      duplicateWindowMs: 30_000,
      presenceTtlMs: 10_000,
      envelopeTtlMs: 3_600_000,
      router: { maxAckPending: 50, ackWaitMs: 5_000 },
    });
    const dlr = await jsm.streams.info(StreamName.dlr);
    // 10 in total, of which 1 for each priority backlog (4% of 10, at least 1).
    expect(dlr.config.max_msgs_per_subject).toBe(7);
    expect((await jsm.streams.info(StreamName.dlrPriority)).config.max_msgs_per_subject).toBe(1);
    expect(dlr.config.duplicate_window).toBe(30_000 * NS_PER_MS);
    expect((await jsm.streams.info(StreamName.submit)).config.duplicate_window).toBe(30_000 * NS_PER_MS);
    expect((await jsm.streams.info('KV_presence')).config.max_age).toBe(10_000 * NS_PER_MS);
    expect((await jsm.streams.info('KV_envelopes')).config.max_age).toBe(3_600_000 * NS_PER_MS);
    const router = await jsm.consumers.info(StreamName.submit, ConsumerName.router);
    expect(router.config.max_ack_pending).toBe(50);
    expect(router.config.ack_wait).toBe(5_000 * NS_PER_MS);
    // And back to the defaults.
    await ensureTopology(nc, { owner: 'all' });
    expect((await jsm.streams.info(StreamName.dlr)).config.max_msgs_per_subject).toBe(22_000);
  });

  it('says what cannot be changed when an existing stream is incompatible', async () => {
    await jsm.streams.delete(StreamName.status);
    await jsm.streams.add({ name: StreamName.status, subjects: ['sms.status.*'] });
    const err: unknown = await ensureTopology(nc, { owner: 'all' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TopologyError);
    expect((err as Error).message).toMatch(/stream SMS_STATUS: cannot update .*retention/);
    await jsm.streams.delete(StreamName.status);
    await ensureTopology(nc, { owner: 'all' });
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

describe('ownership: only the owner updates, anyone creates', () => {
  const ackWait = async (stream: string, durable: string): Promise<number> =>
    (await jsm.consumers.info(stream, durable)).config.ack_wait ?? 0;

  it('a non-owner with different options leaves existing objects as they are', async () => {
    await deleteEverything();
    await ensureTopology(nc, { owner: 'all', connectors: ['sim'] });
    // The edge starting with settings that belong to the router, connector and dispatcher.
    await ensureTopology(nc, {
      owner: 'edge',
      connectors: ['sim'],
      duplicateWindowMs: 30_000,
      dlrBacklogMax: 10,
      envelopeTtlMs: 3_600_000,
      router: { ackWaitMs: 5_000 },
      connector: { ackWaitMs: 5_000 },
      dlrDispatcher: { ackWaitMs: 5_000 },
    });
    expect(await ackWait(StreamName.submit, ConsumerName.router)).toBe(10_000 * NS_PER_MS);
    expect(await ackWait(StreamName.route, 'connector-sim-p0')).toBe(15_000 * NS_PER_MS);
    expect(await ackWait(StreamName.status, ConsumerName.dlrDispatcher)).toBe(30_000 * NS_PER_MS);
    expect((await jsm.streams.info(StreamName.dlr)).config.max_msgs_per_subject).toBe(22_000);
    expect((await jsm.streams.info(StreamName.route)).config.duplicate_window).toBe(120_000 * NS_PER_MS);
    expect((await jsm.streams.info('KV_envelopes')).config.max_age).toBe(7 * 24 * 3_600_000 * NS_PER_MS);
    // What the edge owns did follow its options.
    expect((await jsm.streams.info(StreamName.submit)).config.duplicate_window).toBe(30_000 * NS_PER_MS);
  });

  it('the owner updates what it owns, and only that', async () => {
    await deleteEverything();
    await ensureTopology(nc, { owner: 'all', connectors: ['sim'] });
    await ensureTopology(nc, {
      owner: 'router',
      connectors: ['sim'],
      envelopeTtlMs: 3_600_000,
      presenceTtlMs: 10_000,
      router: { ackWaitMs: 5_000 },
      connector: { ackWaitMs: 5_000 },
    });
    expect(await ackWait(StreamName.submit, ConsumerName.router)).toBe(5_000 * NS_PER_MS);
    expect((await jsm.streams.info('KV_envelopes')).config.max_age).toBe(3_600_000 * NS_PER_MS);
    expect((await jsm.streams.info('KV_presence')).config.max_age).toBe(30_000 * NS_PER_MS);
    expect(await ackWait(StreamName.route, 'connector-sim-p3')).toBe(15_000 * NS_PER_MS);
    // An edge starting later with defaults does not reset the router's settings...
    await ensureTopology(nc, { owner: 'edge' });
    expect(await ackWait(StreamName.submit, ConsumerName.router)).toBe(5_000 * NS_PER_MS);
    // ...and 'none' changes nothing at all.
    await ensureTopology(nc, { owner: 'none', presenceTtlMs: 5_000 });
    expect((await jsm.streams.info('KV_presence')).config.max_age).toBe(30_000 * NS_PER_MS);
    await ensureTopology(nc, {
      owner: 'connector',
      connectors: ['sim'],
      dlrBacklogMax: 10,
      connector: { ackWaitMs: 5_000 },
    });
    expect(await ackWait(StreamName.route, 'connector-sim-p3')).toBe(5_000 * NS_PER_MS);
    expect((await jsm.streams.info(StreamName.dlr)).config.max_msgs_per_subject).toBe(22_000);
    await ensureTopology(nc, {
      owner: 'dlr-dispatcher',
      dlrBacklogMax: 10,
      dlrDispatcher: { ackWaitMs: 5_000 },
    });
    // The dispatcher owns SMS_DLR, but not its limits: those are the provisioner's.
    expect((await jsm.streams.info(StreamName.dlr)).config.max_msgs_per_subject).toBe(22_000);
    expect(await ackWait(StreamName.status, ConsumerName.dlrDispatcher)).toBe(5_000 * NS_PER_MS);
  });

  it('a non-owner still creates what is missing, with its own options', async () => {
    await deleteEverything();
    const t = await ensureTopology(nc, {
      owner: 'none',
      connectors: ['sim'],
      dlrBacklogMax: 10,
      router: { ackWaitMs: 5_000 },
    });
    expect(await streamNames()).toEqual([...ALL_STREAMS].sort());
    expect(Object.keys(t.consumers)).toHaveLength(13);
    expect((await jsm.streams.info(StreamName.dlr)).config.max_msgs_per_subject).toBe(7);
    expect(await ackWait(StreamName.submit, ConsumerName.router)).toBe(5_000 * NS_PER_MS);
    // One object missing: only it is made; the others keep what they have.
    await jsm.consumers.delete(StreamName.status, ConsumerName.dlrDispatcher);
    await ensureTopology(nc, { owner: 'edge', router: { ackWaitMs: 7_000 } });
    expect(await consumerNames(StreamName.status)).toEqual([ConsumerName.dlrDispatcher]);
    expect(await ackWait(StreamName.submit, ConsumerName.router)).toBe(5_000 * NS_PER_MS);
  });

  it('connector lanes: anyone creates them, only the connector updates them', async () => {
    const [created] = await ensureConnectorLanes(jsm, 'owned', {
      owner: 'router',
      connector: { ackWaitMs: 5_000 },
    });
    expect(created?.config.ack_wait).toBe(5_000 * NS_PER_MS);
    await ensureConnectorLanes(jsm, 'owned', { owner: 'router' });
    expect(await ackWait(StreamName.route, 'connector-owned-p0')).toBe(5_000 * NS_PER_MS);
    await ensureConnectorLanes(jsm, 'owned', { owner: 'connector', connector: { ackWaitMs: 9_000 } });
    expect(await ackWait(StreamName.route, 'connector-owned-p0')).toBe(9_000 * NS_PER_MS);
  });

  it('DLR consumers: anyone creates them, only the dispatcher updates them', async () => {
    const created = await ensureDlrConsumer(jsm, 'owned', {
      owner: 'edge',
      dlrAccount: { maxAckPending: 8 },
    });
    expect(created.config.max_ack_pending).toBe(8);
    const kept = await ensureDlrConsumer(jsm, 'owned', { owner: 'edge', dlrAccount: { maxAckPending: 16 } });
    expect(kept.config.max_ack_pending).toBe(8);
    const updated = await ensureDlrConsumer(jsm, 'owned', {
      owner: 'dlr-dispatcher',
      dlrAccount: { maxAckPending: 16 },
    });
    expect(updated.config.max_ack_pending).toBe(16);
  });

  it('refuses an unknown owner', async () => {
    const owner = 'billing' as 'edge';
    await expect(ensureTopology(nc, { owner })).rejects.toThrow(TopologyError);
    await expect(ensureConnectorLanes(jsm, 'x', { owner })).rejects.toThrow(/owner must be one of/);
  });
});

describe('stream limits: one owner, the provisioner', () => {
  const limitsOf = async (stream: string) => {
    const { config } = await jsm.streams.info(stream);
    return { perSubject: config.max_msgs_per_subject, maxAgeMs: config.max_age / NS_PER_MS };
  };

  it('the provisioner applies the limits and changes nothing else', async () => {
    await deleteEverything();
    await ensureTopology(nc, { owner: 'all', connectors: ['sim'], router: { ackWaitMs: 5_000 } });
    const t = await ensureTopology(nc, {
      owner: 'provisioner',
      connectors: ['sim'],
      dlrBacklogMax: 53,
      dlrPriorityBacklogMax: 1,
      dlrMaxAgeMs: 3_600_000,
      duplicateWindowMs: 30_000,
      router: { ackWaitMs: 7_000 },
    });
    expect(t.streams.dlr.config.max_msgs_per_subject).toBe(50);
    expect(await limitsOf(StreamName.dlr)).toEqual({ perSubject: 50, maxAgeMs: 3_600_000 });
    expect(await limitsOf(StreamName.dlrPriority)).toEqual({ perSubject: 1, maxAgeMs: 3_600_000 });
    expect(await readDlrBacklogLimits(jsm)).toEqual({
      dlrBacklogMax: 53,
      dlrPriorityBacklogMax: 1,
      dlrMaxAgeMs: 3_600_000,
    });
    // Not a limit: left to the owners.
    expect((await jsm.streams.info(StreamName.dlr)).config.duplicate_window).toBe(120_000 * NS_PER_MS);
    expect((await jsm.consumers.info(StreamName.submit, ConsumerName.router)).config.ack_wait).toBe(
      5_000 * NS_PER_MS,
    );
  });

  it('two dispatchers with different backlog limits do not fight: the stream keeps the provisioned limit', async () => {
    await deleteEverything();
    await ensureTopology(nc, { owner: 'provisioner', dlrBacklogMax: 1_000 });
    const connections = await Promise.all([1, 2].map((i) => connectTo(`dispatcher-${i}`)));
    try {
      for (let round = 0; round < 3; round += 1) {
        await Promise.all([
          ensureTopology(connections[0]!, {
            owner: 'dlr-dispatcher',
            dlrBacklogMax: 100,
            dlrMaxAgeMs: 600_000,
          }),
          ensureTopology(connections[1]!, {
            owner: 'dlr-dispatcher',
            dlrBacklogMax: 200,
            dlrMaxAgeMs: 900_000,
          }),
        ]);
        expect(await readDlrBacklogLimits(jsm)).toEqual({
          dlrBacklogMax: 1_000,
          dlrPriorityBacklogMax: 40,
          dlrMaxAgeMs: 48 * 3_600_000,
        });
      }
      // Their own settings of the stream still follow them (here: replicas stay, the duplicate window moves).
      await ensureTopology(connections[0]!, { owner: 'dlr-dispatcher', duplicateWindowMs: 60_000 });
      expect((await jsm.streams.info(StreamName.dlr)).config.duplicate_window).toBe(60_000 * NS_PER_MS);
      expect((await limitsOf(StreamName.dlr)).perSubject).toBe(1_000 - 3 * 40);
    } finally {
      await Promise.all(connections.map((c) => c.close()));
    }
  });

  it('a service that creates a missing stream sets its limits; later services leave them', async () => {
    await deleteEverything();
    await ensureTopology(nc, { owner: 'dlr-dispatcher', dlrBacklogMax: 10 });
    expect((await limitsOf(StreamName.dlr)).perSubject).toBe(7);
    await ensureTopology(nc, { owner: 'dlr-dispatcher' });
    expect((await limitsOf(StreamName.dlr)).perSubject).toBe(7);
    // The provisioner is the one that changes them.
    await ensureTopology(nc, { owner: 'provisioner' });
    expect((await limitsOf(StreamName.dlr)).perSubject).toBe(22_000);
  });
});

describe('connector bucket TTLs: one owner, the provisioner', () => {
  const HOUR = 3_600_000;
  const health = `KV_${ConnectorHealthBucket.name}`;
  const upstreamIds = `KV_${UPSTREAM_IDS_BUCKET}`;

  it('a connector on an empty NATS creates the buckets with its TTLs; the services do not create them', async () => {
    await deleteEverything();
    await ensureTopology(nc, { owner: 'all' });
    expect(await streamNames()).toEqual([...ALL_STREAMS].sort());
    await ensureConnectorHealthBucket(jsm, { owner: 'connector', ttlMs: 4_000 });
    await ensureUpstreamIdsBucket(jsm, { owner: 'connector', ttlMs: 72 * HOUR });
    expect(await readConnectorBucketTtls(jsm)).toEqual({
      upstreamIdTtlMs: 72 * HOUR,
      connectorHealthTtlMs: 4_000,
    });
  });

  it('the provisioner creates and sets them, the duplicate window following a short TTL', async () => {
    await deleteEverything();
    await ensureTopology(nc, {
      owner: 'provisioner',
      upstreamIdTtlMs: 96 * HOUR,
      connectorHealthTtlMs: 60_000,
    });
    expect(await readConnectorBucketTtls(jsm)).toEqual({
      upstreamIdTtlMs: 96 * HOUR,
      connectorHealthTtlMs: 60_000,
    });
    await ensureTopology(nc, { owner: 'provisioner', connectorHealthTtlMs: 9_000 });
    const { config } = await jsm.streams.info(health);
    expect([config.max_age, config.duplicate_window]).toEqual([9_000 * NS_PER_MS, 9_000 * NS_PER_MS]);
    expect((await jsm.streams.info(upstreamIds)).config.max_age).toBe(7 * 24 * HOUR * NS_PER_MS);
    await expect(ensureTopology(nc, { owner: 'provisioner', upstreamIdTtlMs: 24 * HOUR })).rejects.toThrow(
      /upstreamIdTtlMs/,
    );
  });

  it('two connectors with different TTLs do not fight: the buckets keep the provisioned ones', async () => {
    await deleteEverything();
    await ensureTopology(nc, {
      owner: 'provisioner',
      upstreamIdTtlMs: 96 * HOUR,
      connectorHealthTtlMs: 12_000,
    });
    const connections = await Promise.all([1, 2].map((i) => connectTo(`connector-${i}`)));
    try {
      const managers = await Promise.all(connections.map((c) => ensureTopology(c, { owner: 'connector' })));
      for (let round = 0; round < 3; round += 1) {
        await Promise.all(
          managers.flatMap((t, i) => [
            ensureConnectorHealthBucket(t.jsm, { owner: 'connector', ttlMs: (i + 1) * 5_000 }),
            ensureUpstreamIdsBucket(t.jsm, { owner: 'connector', ttlMs: (i + 2) * 48 * HOUR }),
          ]),
        );
        expect(await readConnectorBucketTtls(jsm)).toEqual({
          upstreamIdTtlMs: 96 * HOUR,
          connectorHealthTtlMs: 12_000,
        });
      }
      // What it returns is the bucket as it is: the TTL a connector goes by.
      const info = await ensureConnectorHealthBucket(jsm, { owner: 'connector', ttlMs: 1_000 });
      expect(info.config.max_age).toBe(12_000 * NS_PER_MS);
    } finally {
      await Promise.all(connections.map((c) => c.close()));
    }
  });
});

describe('on-demand consumers', () => {
  it('creates a DLR consumer per account, filtered to its subject, and updates it when options change', async () => {
    const created = await ensureDlrConsumer(jsm, 'a.b', { owner: 'all', dlrInactiveThresholdMs: 60_000 });
    expect(created.name).toBe('dlr-a=2Eb');
    expect(created.config).toMatchObject({
      filter_subject: 'sms.dlr.a=2Eb',
      inactive_threshold: 60_000 * NS_PER_MS,
      ack_policy: AckPolicy.Explicit,
    });
    const again = await ensureDlrConsumer(jsm, 'a.b', { owner: 'all', dlrInactiveThresholdMs: 60_000 });
    expect(again.created).toBe(created.created);
    const updated = await ensureDlrConsumer(jsm, 'a.b', {
      owner: 'all',
      dlrInactiveThresholdMs: 120_000,
      dlrAccount: { maxAckPending: 8 },
    });
    expect(updated.config).toMatchObject({ inactive_threshold: 120_000 * NS_PER_MS, max_ack_pending: 8 });
  });

  it('creates the four lanes of a connector', async () => {
    const lanes = await ensureConnectorLanes(jsm, 'upstream.eu', { owner: 'all' });
    expect(lanes.map((ci) => [ci.name, ci.config.filter_subject])).toEqual([
      ['connector-upstream=2Eeu-p0', 'sms.route.upstream=2Eeu.0'],
      ['connector-upstream=2Eeu-p1', 'sms.route.upstream=2Eeu.1'],
      ['connector-upstream=2Eeu-p2', 'sms.route.upstream=2Eeu.2'],
      ['connector-upstream=2Eeu-p3', 'sms.route.upstream=2Eeu.3'],
    ]);
  });
});
