/** NumberStore and NumberDirectory against a real NATS server (one for this file). */
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, ensureTopology } from '@smsgw/nats';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NumberDirectory } from './number-directory.ts';
import { NumberTakenError, parseNumberRange } from './number-plan.ts';
import { NumberStore } from './number-store.ts';

let server: NatsServerHandle;
let nc: NatsConnection;
let other: NatsConnection;
let store: NumberStore;
let rival: NumberStore;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({ ...server.connectOptions, name: 'number-store-test', waitOnFirstConnect: false });
  other = await connectNats({
    ...server.connectOptions,
    name: 'number-store-rival',
    waitOnFirstConnect: false,
  });
  store = new NumberStore((await ensureTopology(nc, { owner: 'all' })).kv.numbers);
  rival = await NumberStore.open(other);
});

afterAll(async () => {
  await other.close();
  await nc.close();
  await server.stop();
});

describe('NumberStore', () => {
  it('lets exactly one of many concurrent claims of overlapping numbers win', async () => {
    const claims = Array.from({ length: 8 }, (_, i) =>
      (i % 2 === 0 ? store : rival).add(`acct${i}`, [parseNumberRange(`455500000${i}-4555000099`)]),
    );
    const results = await Promise.allSettled(claims);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(NumberTakenError);
    }
    const { plan } = await store.read();
    expect(plan.entries.filter((e) => e.from.startsWith('45550000'))).toHaveLength(1);
  });

  it('adds, sets and removes; the directory follows', async () => {
    const directory = new NumberDirectory(store.kv);
    await directory.start();
    await store.add('acme', [parseNumberRange('1234')]);
    await expect.poll(() => directory.ownerOf('1234')).toBe('acme');
    await store.setAccountNumbers('acme', [parseNumberRange('4512345678')]);
    await expect.poll(() => directory.ownerOf('1234')).toBeUndefined();
    expect(directory.ownerOf('4512345678')).toBe('acme');
    await store.remove([parseNumberRange('4512345678')], 'acme');
    await expect.poll(() => directory.ownerOf('4512345678')).toBeUndefined();
    // A second directory loads the plan as it is.
    const later = new NumberDirectory(store.kv);
    await later.start();
    expect(later.plan.equals((await store.read()).plan)).toBe(true);
    await directory.close();
    await later.close();
  });
});
