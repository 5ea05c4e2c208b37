/** The health publisher against a real connectors bucket: first entry, a change written at once, refresh, withdrawal. */
import type { NatsConnection } from '@nats-io/transport-node';
import {
  connectNats,
  connectorHealthKey,
  decodeConnectorHealthEntry,
  ensureTopology,
  openConnectorHealthBucket,
} from '@smsgw/nats';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from './connector.test-support.ts';
import { startHealthPublisher } from './health-publisher.ts';

let server: NatsServerHandle;
let nc: NatsConnection;
let kv: Awaited<ReturnType<typeof openConnectorHealthBucket>>['kv'];

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({
    ...server.connectOptions,
    name: 'health-publisher-test',
    waitOnFirstConnect: false,
  });
  const { js, jsm } = await ensureTopology(nc, { owner: 'all' });
  kv = (await openConnectorHealthBucket(js, jsm, { owner: 'all', ttlMs: 3_000 })).kv;
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

async function read(key: string) {
  const entry = await kv.get(key);
  return entry === null || entry.operation !== 'PUT'
    ? undefined
    : decodeConnectorHealthEntry(key, entry.value);
}

describe('startHealthPublisher', () => {
  it('announces the driver state, rewrites it on change and when a third of the TTL passed, and withdraws it', async () => {
    let ready = false;
    let now = Date.parse('2026-05-01T00:00:00.000Z');
    const key = connectorHealthKey('upstream', 'connector-upstream-0');
    const publisher = await startHealthPublisher({
      kv,
      connector: 'upstream',
      pod: 'connector-upstream-0',
      driver: { ready: () => ready },
      ttlMs: 3_000,
      logger: silentLogger(),
      pollMs: 60_000, // the test calls check() itself
      now: () => now,
    });
    expect(await read(key)).toMatchObject({
      connector: 'upstream',
      pod: 'connector-upstream-0',
      ready: false,
      ttlMs: 3_000,
    });
    expect((await read(key))?.lastReadyAt).toBeUndefined();

    now += 200;
    ready = true;
    await publisher.check();
    expect(await read(key)).toMatchObject({ ready: true, since: new Date(now).toISOString() });

    const revision = (await kv.get(key))?.revision;
    now += 200;
    await publisher.check(); // unchanged, and well within a third of the TTL: nothing written
    expect((await kv.get(key))?.revision).toBe(revision);
    now += 1_000;
    await publisher.check(); // a third of the TTL: rewritten
    expect((await kv.get(key))?.revision).toBeGreaterThan(revision ?? 0);

    now += 100;
    ready = false;
    await publisher.check();
    const down = await read(key);
    expect(down).toMatchObject({ ready: false, since: new Date(now).toISOString() });
    expect(down?.lastReadyAt).toBe(new Date(now).toISOString());

    await publisher.withdraw();
    expect(await read(key)).toBeUndefined();
  });

  it('a driver without ready() is always ready', async () => {
    const key = connectorHealthKey('sim', 'p');
    const publisher = await startHealthPublisher({
      kv,
      connector: 'sim',
      pod: 'p',
      driver: {},
      ttlMs: 3_000,
      logger: silentLogger(),
    });
    expect(publisher.ready).toBe(true);
    expect((await read(key))?.ready).toBe(true);
    expect((await read(key))?.sessions).toBeUndefined();
    await publisher.withdraw();
  });

  it('announces the upstream sessions of a driver that has them', async () => {
    const key = connectorHealthKey('upstream', 's');
    const publisher = await startHealthPublisher({
      kv,
      connector: 'upstream',
      pod: 's',
      driver: { ready: () => true, sessions: () => ({ bound: 1, configured: 2 }) },
      ttlMs: 3_000,
      logger: silentLogger(),
    });
    expect((await read(key))?.sessions).toEqual({ bound: 1, configured: 2 });
    await publisher.withdraw();
  });

  it('paces its rewrites by the bucket TTL read before each one, keeping the last when the read fails', async () => {
    const key = connectorHealthKey('paced', 'p');
    let now = Date.parse('2026-05-01T00:00:00.000Z');
    let bucketTtlMs: number | Error = 9_000;
    const publisher = await startHealthPublisher({
      kv,
      connector: 'paced',
      pod: 'p',
      driver: {},
      ttlMs: 3_000,
      readTtlMs: () =>
        bucketTtlMs instanceof Error ? Promise.reject(bucketTtlMs) : Promise.resolve(bucketTtlMs),
      logger: silentLogger(),
      pollMs: 60_000,
      now: () => now,
    });
    now += 1_000;
    await publisher.check(); // a third of the first TTL: rewritten, after reading the bucket's 9 s
    expect(publisher.ttlMs).toBe(9_000);
    expect((await read(key))?.ttlMs).toBe(9_000);
    const revision = (await kv.get(key))?.revision;
    now += 2_000;
    await publisher.check(); // 2 s: within a third of 9 s, nothing written
    expect((await kv.get(key))?.revision).toBe(revision);
    bucketTtlMs = new Error('no JetStream');
    now += 1_000;
    await publisher.check(); // 3 s: rewritten with the TTL it had
    expect(publisher.ttlMs).toBe(9_000);
    expect((await kv.get(key))?.revision).toBeGreaterThan(revision ?? 0);
    await publisher.withdraw();
  });
});
