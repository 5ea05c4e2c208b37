/** AccountCache against a real NATS server (one for this file), written to from another connection. */
import { Kvm, type KV, type KvWatchEntry, type RoKV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { BucketName, connectNats, ensureTopology } from '@smsgw/nats';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccountCache, type AccountChange } from './account-cache.ts';
import { accountKey } from './account-codec.ts';
import { AccountStore } from './account-store.ts';
import { accountInput } from './account.test-support.ts';
import { AccountDecodeError, AccountError } from './errors.ts';

/** How long a change may take to reach a cache on a local server; generous, never reached when things work. */
const BOUNDED_WAIT_MS = 5_000;

let server: NatsServerHandle;
/** The services' connection: the caches read through it. */
let nc: NatsConnection;
/** The admin's connection: the writes go through it. */
let adminNc: NatsConnection;
let admin: AccountStore;
let adminKv: KV;
const caches: AccountCache[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  const fastReconnect = { reconnectTimeWait: 100, reconnectJitter: 0, waitOnFirstConnect: false };
  nc = await connectNats({ ...server.connectOptions, name: 'account-cache-test', ...fastReconnect });
  adminNc = await connectNats({ ...server.connectOptions, name: 'account-cache-admin', ...fastReconnect });
  await ensureTopology(nc, { owner: 'all' });
  admin = await AccountStore.open(adminNc);
  adminKv = admin.kv;
});

afterEach(async () => {
  await Promise.all(caches.splice(0).map((c) => c.close()));
  // Each test starts from a bucket without values.
  await adminKv.purge('>');
});

afterAll(async () => {
  await adminNc.close();
  await nc.close();
  await server.stop();
});

/** A cache over the services' connection, closed after the test. */
async function openCache(): Promise<AccountCache> {
  const kv = await new Kvm(nc).open(BucketName.accounts, { bindOnly: true });
  const cache = new AccountCache(kv);
  caches.push(cache);
  return cache;
}

/** Resolves with the first change that satisfies `match`; rejects after BOUNDED_WAIT_MS. */
function nextChange(cache: AccountCache, match: (c: AccountChange) => boolean): Promise<AccountChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching change within ${BOUNDED_WAIT_MS} ms`));
    }, BOUNDED_WAIT_MS);
    const off = cache.onChange((change) => {
      if (!match(change)) return;
      clearTimeout(timer);
      off();
      resolve(change);
    });
  });
}

describe('AccountCache start', () => {
  it('starts on an empty bucket', async () => {
    const cache = await openCache();
    expect(cache.ready).toBe(false);
    await cache.start();
    expect(cache.ready).toBe(true);
    expect(cache.watching).toBe(true);
    expect(cache.size).toBe(0);
    expect(cache.get('anyone')).toBeUndefined();
  });

  it('has every account when start() resolves, readable synchronously; deleted ones are absent', async () => {
    for (let i = 0; i < 150; i++) await admin.put(accountInput(`load-${i}`, { maxBinds: i + 1 }));
    await admin.update('load-7', { enabled: false });
    await admin.remove('load-9');
    const cache = await openCache();
    await cache.start();
    expect(cache.size).toBe(149);
    expect(cache.get('load-0')?.maxBinds).toBe(1);
    expect(cache.get('load-149')?.maxBinds).toBe(150);
    expect(cache.get('load-7')?.enabled).toBe(false);
    expect(cache.get('load-9')).toBeUndefined();
    expect([...cache.accounts()].map((a) => a.systemId)).toContain('load-42');
    expect(Object.isFrozen(cache.get('load-1'))).toBe(true);
  });

  it('start() may be called once', async () => {
    const cache = await openCache();
    await cache.start();
    await expect(cache.start()).rejects.toThrow(AccountError);
  });

  it('is consistent when accounts are written while it starts', async () => {
    const cache = await openCache();
    const writes = (async () => {
      for (let i = 0; i < 40; i++) await admin.put(accountInput(`busy-${i}`));
    })();
    await cache.start();
    await writes;
    const last = (await admin.getStored('busy-39'))?.revision ?? 0;
    await expect.poll(() => cache.revision, { timeout: BOUNDED_WAIT_MS }).toBeGreaterThanOrEqual(last);
    expect(cache.size).toBe(40);
  });
});

describe('AccountCache follows changes from another connection', () => {
  it('sees a new account, a change, a disable and a removal, each with the version it replaced', async () => {
    const cache = await openCache();
    await cache.start();

    const created = nextChange(cache, (c) => c.type === 'put' && c.systemId === 'acme.eu');
    const account = await admin.create(accountInput('acme.eu', { maxBinds: 2 }));
    expect(await created).toMatchObject({ type: 'put', account, previous: undefined });
    expect(cache.get('acme.eu')).toEqual(account);

    const changed = nextChange(cache, (c) => c.type === 'put' && c.account.maxBinds === 3);
    const updated = await admin.update('acme.eu', { maxBinds: 3 });
    expect(await changed).toMatchObject({ systemId: 'acme.eu', account: updated, previous: account });
    expect(cache.get('acme.eu')?.maxBinds).toBe(3);

    const disabled = nextChange(cache, (c) => c.type === 'put' && !c.account.enabled);
    await admin.update('acme.eu', { enabled: false });
    expect(await disabled).toMatchObject({ systemId: 'acme.eu', previous: updated });

    const removed = nextChange(cache, (c) => c.type === 'delete');
    await admin.remove('acme.eu');
    const change = await removed;
    expect(change).toMatchObject({ type: 'delete', systemId: 'acme.eu' });
    expect(change.type === 'delete' && change.previous?.enabled).toBe(false);
    expect(cache.get('acme.eu')).toBeUndefined();
    expect(cache.revision).toBe(change.revision);
  });

  it('treats a purge like a delete', async () => {
    await admin.put(accountInput('purged'));
    const cache = await openCache();
    await cache.start();
    const removed = nextChange(cache, (c) => c.type === 'delete');
    await adminKv.purge(accountKey('purged'));
    expect(await removed).toMatchObject({ systemId: 'purged' });
    expect(cache.get('purged')).toBeUndefined();
  });

  it('keeps the last good version when a record becomes unreadable, until a valid write', async () => {
    const good = await admin.put(accountInput('fragile', { maxBinds: 4 }));
    const cache = await openCache();
    await cache.start();

    const invalid = nextChange(cache, (c) => c.type === 'invalid');
    await adminKv.put('fragile', '{"schemaVersion":2}');
    const change = await invalid;
    expect(change.type === 'invalid' && change.error).toBeInstanceOf(AccountDecodeError);
    expect(change).toMatchObject({ key: 'fragile' });
    expect(cache.get('fragile')).toEqual(good);
    expect(cache.invalidRecords.get('fragile')?.message).toMatch(/newer smsgw/);

    const repaired = nextChange(cache, (c) => c.type === 'put');
    await admin.put(accountInput('fragile', { maxBinds: 5 }));
    expect(await repaired).toMatchObject({ previous: good });
    expect(cache.get('fragile')?.maxBinds).toBe(5);
    expect(cache.invalidRecords.size).toBe(0);
  });

  it('lists unreadable records found by the initial load (foreign keys too) until they are deleted', async () => {
    await adminKv.put('broken', 'not json');
    await adminKv.put('not.an=ZZid', '{}');
    await admin.put(accountInput('fine'));
    const cache = await openCache();
    await cache.start();
    expect(cache.size).toBe(1);
    expect([...cache.invalidRecords.keys()].sort()).toEqual(['broken', 'not.an=ZZid']);
    await adminKv.delete('broken');
    await adminKv.purge('not.an=ZZid');
    await expect.poll(() => cache.invalidRecords.size, { timeout: BOUNDED_WAIT_MS }).toBe(0);
    expect(cache.size).toBe(1);
  });

  it('stops notifying a listener that unsubscribed', async () => {
    const cache = await openCache();
    await cache.start();
    const heard: string[] = [];
    const off = cache.onChange((c) => heard.push(`a:${c.type}`));
    const seen = nextChange(cache, (c) => c.type === 'put' && c.systemId === 'l-1');
    await admin.put(accountInput('l-1'));
    await seen;
    off();
    const seen2 = nextChange(cache, (c) => c.type === 'put' && c.systemId === 'l-2');
    await admin.put(accountInput('l-2'));
    await seen2;
    expect(heard).toEqual(['a:put']);
  });
});

describe('AccountCache lifecycle', () => {
  it('close() stops following; what was loaded stays readable; closed() resolves without an error', async () => {
    await admin.put(accountInput('kept'));
    const cache = await openCache();
    await cache.start();
    await cache.close();
    expect(await cache.closed()).toBeUndefined();
    expect(cache.watching).toBe(false);
    await admin.update('kept', { maxBinds: 1 });
    await admin.put(accountInput('late'));
    // Nothing arrives any more: a fresh cache sees the writes, the closed one does not.
    const fresh = await openCache();
    await fresh.start();
    expect(fresh.get('late')).toBeDefined();
    expect(cache.get('late')).toBeUndefined();
    expect(cache.get('kept')?.maxBinds).toBe(10);
  });

  it('keeps following across a server restart', async () => {
    const cache = await openCache();
    await cache.start();
    await admin.put(accountInput('before-restart'));
    await expect.poll(() => cache.get('before-restart'), { timeout: BOUNDED_WAIT_MS }).toBeDefined();

    await server.restart();
    // The admin's write waits for its connection to come back; the cache's consumer is recreated by the client.
    await expect
      .poll(
        () =>
          admin.put(accountInput('after-restart')).then(
            () => true,
            () => false,
          ),
        { timeout: 15_000 },
      )
      .toBe(true);
    await expect.poll(() => cache.get('after-restart'), { timeout: 15_000, interval: 100 }).toBeDefined();
    expect(cache.watching).toBe(true);
  }, 40_000);
});

describe('AccountCache start failures (a stand-in bucket)', () => {
  /** A bucket whose watch delivers nothing until stopped, while its status claims one message. */
  function silentBucket(): RoKV {
    const watcher = {
      stopped: undefined as (() => void) | undefined,
      stop(): void {
        this.stopped?.();
      },
      [Symbol.asyncIterator](): AsyncIterator<KvWatchEntry> {
        return {
          next: async () => {
            await new Promise<void>((resolve) => (watcher.stopped = resolve));
            return { done: true, value: undefined };
          },
        };
      },
    };
    const kv = {
      watch: () => Promise.resolve(watcher),
      status: () => Promise.resolve({ streamInfo: { state: { messages: 1, last_seq: 1 } } }),
    };
    return kv as unknown as RoKV;
  }

  it('fails with AccountError when the load does not finish in time, and stops the watch', async () => {
    const cache = new AccountCache(silentBucket(), { startTimeoutMs: 50 });
    await expect(cache.start()).rejects.toThrow(/not loaded within 50 ms/);
    expect(cache.watching).toBe(false);
    expect(await cache.closed()).toBeUndefined();
  });

  it('fails when the watch ends before the load finished', async () => {
    const cache = new AccountCache(silentBucket());
    const starting = cache.start();
    await new Promise((resolve) => setTimeout(resolve, 10));
    void cache.close();
    await expect(starting).rejects.toThrow(/watch ended before/);
  });
});
