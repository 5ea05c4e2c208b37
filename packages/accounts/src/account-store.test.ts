/** AccountStore against a real NATS server (one for this file). */
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { BucketName, connectNats, ensureTopology } from '@smsgw/nats';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountKey } from './account-codec.ts';
import { AccountStore } from './account-store.ts';
import { accountInput, TEST_PASSWORD_HASH } from './account.test-support.ts';
import {
  AccountConflictError,
  AccountDecodeError,
  AccountError,
  AccountExistsError,
  AccountNotFoundError,
  InvalidAccountError,
} from './errors.ts';
import { hashPassword, verifyPassword } from './password.ts';

let server: NatsServerHandle;
let nc: NatsConnection;
let other: NatsConnection;
let kv: KV;
let store: AccountStore;
/** A second store on another connection: the concurrent writer. */
let rival: AccountStore;
let openBeforeTopology: unknown;

/** A clock that ticks one second per reading, from 2024-01-01. */
function tickingClock(): () => Date {
  let t = Date.UTC(2024, 0, 1);
  return () => new Date((t += 1_000));
}

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({ ...server.connectOptions, name: 'account-store-test', waitOnFirstConnect: false });
  other = await connectNats({
    ...server.connectOptions,
    name: 'account-store-rival',
    waitOnFirstConnect: false,
  });
  openBeforeTopology = await AccountStore.open(nc).catch((err: unknown) => err);
  kv = (await ensureTopology(nc, { owner: 'all' })).kv.accounts;
  store = new AccountStore(kv, { now: tickingClock() });
  rival = await AccountStore.open(other);
});

afterAll(async () => {
  await other.close();
  await nc.close();
  await server.stop();
});

describe('AccountStore.open', () => {
  it('refuses when the accounts bucket does not exist yet', () => {
    expect(openBeforeTopology).toBeInstanceOf(AccountError);
    expect((openBeforeTopology as Error).message).toContain(BucketName.accounts);
  });

  it('opens the bucket that ensureTopology made', async () => {
    expect((await rival.kv.status()).bucket).toBe(BucketName.accounts);
  });

  it('rejects a nonsensical maxAttempts', () => {
    expect(() => new AccountStore(kv, { maxAttempts: 0 })).toThrow(AccountError);
  });
});

describe('create / get', () => {
  it('creates an account with its defaults and reads it back, from any connection', async () => {
    const created = await store.create(accountInput('create-1', { maxBinds: 3 }));
    expect(created).toMatchObject({ systemId: 'create-1', maxBinds: 3, approvedPriorities: [0] });
    expect(created.createdAt).toBe(created.updatedAt);
    expect(await store.get('create-1')).toEqual(created);
    expect(await rival.get('create-1')).toEqual(created);
    const stored = await store.getStored('create-1');
    expect(stored?.revision).toBeGreaterThan(0);
  });

  it('refuses to create a system_id that exists', async () => {
    await store.create(accountInput('create-2'));
    await expect(rival.create(accountInput('create-2', { maxBinds: 1 }))).rejects.toThrow(AccountExistsError);
    expect((await store.get('create-2'))?.maxBinds).toBe(10);
  });

  it('refuses an invalid account without writing anything', async () => {
    await expect(store.create(accountInput('create-3', { maxBinds: 0 }))).rejects.toThrow(
      InvalidAccountError,
    );
    await expect(store.put({ systemId: 'create-3', passwordHash: 'plaintext' })).rejects.toThrow(
      InvalidAccountError,
    );
    expect(await kv.get(accountKey('create-3'))).toBeNull();
  });

  it('answers undefined for an unknown or impossible system_id', async () => {
    expect(await store.get('nobody')).toBeUndefined();
    expect(await store.get('')).toBeUndefined();
    expect(await store.get('x'.repeat(16))).toBeUndefined();
  });

  it('stores system_ids that are not subject-safe under an escaped key', async () => {
    for (const systemId of ['acme.eu', '*>', 'a=b', 'a/b']) {
      await store.put(accountInput(systemId));
      expect((await store.get(systemId))?.systemId).toBe(systemId);
      expect(await kv.get(accountKey(systemId))).not.toBeNull();
    }
    expect(await kv.get('acme=2Eeu')).not.toBeNull();
  });

  it('keeps the hash, not the password, and the hash verifies', async () => {
    const passwordHash = await hashPassword('pw', { cost: 1024, blockSize: 8, parallelization: 1 });
    await store.put(accountInput('hash-1', { passwordHash }));
    const raw = (await kv.get('hash-1'))?.string() ?? '';
    expect(raw).toContain(passwordHash);
    expect(raw).not.toMatch(/"pw"/);
    expect(await verifyPassword('pw', (await store.get('hash-1'))?.passwordHash ?? '')).toBe(true);
  });
});

describe('put', () => {
  it('creates or replaces; fields left out fall back to defaults; createdAt stays, updatedAt moves', async () => {
    const first = await store.put(accountInput('put-1', { maxBinds: 2, tlsRequired: true }));
    const second = await store.put(accountInput('put-1', { maxSubmitsPerSecond: 7 }));
    expect(second).toMatchObject({ maxBinds: 10, tlsRequired: false, maxSubmitsPerSecond: 7 });
    expect(second.createdAt).toBe(first.createdAt);
    expect(second.updatedAt > first.updatedAt).toBe(true);
    expect(await store.get('put-1')).toEqual(second);
  });

  it('takes createdAt from the input for a new account (an import), and ignores it for an existing one', async () => {
    const imported = await store.put(accountInput('put-2', { createdAt: '2020-05-05T00:00:00.000Z' }));
    expect(imported.createdAt).toBe('2020-05-05T00:00:00.000Z');
    const again = await store.put(accountInput('put-2', { createdAt: '2021-01-01T00:00:00.000Z' }));
    expect(again.createdAt).toBe('2020-05-05T00:00:00.000Z');
  });

  it('writes a new revision each time (the bucket keeps history for audit)', async () => {
    await store.put(accountInput('put-3', { maxBinds: 1 }));
    await store.put(accountInput('put-3', { maxBinds: 2 }));
    await store.put(accountInput('put-3', { maxBinds: 3 }));
    const binds: number[] = [];
    for await (const e of await kv.history({ key: 'put-3' })) {
      binds.push((JSON.parse(e.string()) as { maxBinds: number }).maxBinds);
    }
    expect(binds).toEqual([1, 2, 3]);
  });
});

describe('update', () => {
  it('changes only the patched fields; systemId and createdAt cannot change', async () => {
    const before = await store.create(accountInput('upd-1', { maxBinds: 4, approvedPriorities: [1] }));
    const after = await store.update('upd-1', {
      approvedPriorities: [1, 2],
      ...({ systemId: 'other', createdAt: '2000-01-01T00:00:00.000Z' } as object),
    });
    expect(after).toMatchObject({ systemId: 'upd-1', maxBinds: 4, approvedPriorities: [1, 2] });
    expect(after.createdAt).toBe(before.createdAt);
    expect(after.updatedAt > before.updatedAt).toBe(true);
    expect(await store.get('upd-1')).toEqual(after);
    expect(await store.get('other')).toBeUndefined();
  });

  it('takes a function of the current account, async too (e.g. a new password hash)', async () => {
    await store.create(accountInput('upd-2', { maxSubmitsPerSecond: 50 }));
    const doubled = await store.update('upd-2', (a) => ({ maxSubmitsPerSecond: a.maxSubmitsPerSecond * 2 }));
    expect(doubled.maxSubmitsPerSecond).toBe(100);
    const rehashed = await store.update('upd-2', async () => ({
      passwordHash: await hashPassword('new', { cost: 1024, blockSize: 8, parallelization: 1 }),
    }));
    expect(await verifyPassword('new', rehashed.passwordHash)).toBe(true);
  });

  it('throws AccountNotFoundError for an account that does not exist (or was removed)', async () => {
    await expect(store.update('upd-none', { maxBinds: 1 })).rejects.toThrow(AccountNotFoundError);
    await expect(store.update('', { maxBinds: 1 })).rejects.toThrow(AccountNotFoundError);
    await store.create(accountInput('upd-3'));
    await store.remove('upd-3');
    await expect(store.update('upd-3', { maxBinds: 1 })).rejects.toThrow(AccountNotFoundError);
  });

  it('refuses a patch that makes the account invalid, leaving it as it was', async () => {
    const before = await store.create(accountInput('upd-4'));
    await expect(store.update('upd-4', { bindTypes: [] })).rejects.toThrow(InvalidAccountError);
    await expect(
      store.update('upd-4', { priorityRules: [{ match: { messageClass: 'premium' }, priority: 0 }] }),
    ).rejects.toThrow(InvalidAccountError);
    expect(await store.get('upd-4')).toEqual(before);
  });

  it('on a conflict, reads again and reapplies: both concurrent writers land', async () => {
    await store.create(accountInput('upd-5', { maxBinds: 1, maxSubmitsPerSecond: 1 }));
    const seen: number[] = [];
    const result = await store.update('upd-5', async (current) => {
      seen.push(current.maxSubmitsPerSecond);
      // The first time round, another writer (another connection) gets in between read and write.
      if (seen.length === 1) await rival.update('upd-5', { maxSubmitsPerSecond: 99 });
      return { maxBinds: current.maxBinds + 1 };
    });
    expect(seen).toEqual([1, 99]);
    expect(result).toMatchObject({ maxBinds: 2, maxSubmitsPerSecond: 99 });
    expect(await rival.get('upd-5')).toEqual(result);
  });

  it('gives up with AccountConflictError after maxAttempts lost races', async () => {
    const impatient = new AccountStore(kv, { maxAttempts: 3 });
    await store.create(accountInput('upd-6', { maxBinds: 1 }));
    let calls = 0;
    const error = await impatient
      .update('upd-6', async (current) => {
        calls++;
        await rival.update('upd-6', { maxBinds: current.maxBinds + 10 });
        return { maxBinds: 2 };
      })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AccountConflictError);
    expect(error).toMatchObject({ systemId: 'upd-6', attempts: 3 });
    expect(calls).toBe(3);
    expect((await store.get('upd-6'))?.maxBinds).toBe(31);
  });

  it('create loses cleanly to a concurrent create', async () => {
    const results = await Promise.allSettled([
      store.create(accountInput('race-1', { maxBinds: 1 })),
      rival.create(accountInput('race-1', { maxBinds: 2 })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.reason).toBeInstanceOf(AccountExistsError);
  });
});

describe('remove / list', () => {
  it('removes an account; a second remove says there was none; the system_id can be created again', async () => {
    await store.create(accountInput('rm-1'));
    expect(await store.remove('rm-1')).toBe(true);
    expect(await store.get('rm-1')).toBeUndefined();
    expect(await store.remove('rm-1')).toBe(false);
    expect(await store.remove('never-was')).toBe(false);
    expect(await store.remove('')).toBe(false);
    const again = await store.create(accountInput('rm-1', { maxBinds: 5 }));
    expect(await store.get('rm-1')).toEqual(again);
  });

  it('lists every account by system_id, removed ones left out', async () => {
    for (const id of ['ls-c', 'ls-a', 'ls-b']) await store.put(accountInput(id));
    await store.remove('ls-b');
    const ids = (await store.list()).map((a) => a.systemId);
    expect(ids.filter((id) => id.startsWith('ls-'))).toEqual(['ls-a', 'ls-c']);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toContain('acme.eu');
  });
});

describe('unreadable records', () => {
  it('get and list throw AccountDecodeError; put repairs the record, remove deletes it', async () => {
    await kv.put('bad-1', '{"schemaVersion":1,"systemId":"bad-1"');
    await expect(store.get('bad-1')).rejects.toThrow(AccountDecodeError);
    await expect(store.list()).rejects.toThrow(AccountDecodeError);
    await expect(store.update('bad-1', { maxBinds: 1 })).rejects.toThrow(AccountDecodeError);

    const repaired = await store.put(accountInput('bad-1'));
    expect(await store.get('bad-1')).toEqual(repaired);

    await kv.put(
      'bad-1',
      JSON.stringify({ schemaVersion: 2, systemId: 'bad-1', passwordHash: TEST_PASSWORD_HASH }),
    );
    await expect(store.get('bad-1')).rejects.toThrow(/newer smsgw/);
    expect(await store.remove('bad-1')).toBe(true);
    await expect(store.list()).resolves.toBeInstanceOf(Array);
  });

  it('a key that is not an encoded system_id makes list throw', async () => {
    await kv.put('not.a=2Gkey', '{}');
    await expect(store.list()).rejects.toThrow(AccountDecodeError);
    await kv.delete('not.a=2Gkey');
    await expect(store.list()).resolves.toBeInstanceOf(Array);
  });
});
