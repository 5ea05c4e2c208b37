import { waitFor } from '@smsgw/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsFixture, testLogger, type NatsFixture } from '../edge.test-support.ts';
import { UnsettledSubmitSync } from './unsettled-submit-sync.ts';
import { UnsettledSubmits } from './unsettled-submits.ts';

let nats: NatsFixture;

beforeAll(async () => {
  nats = await startNatsFixture();
});
afterAll(async () => {
  await nats.stop();
});

/** One edge pod's memory, following the shared bucket. */
async function pod(): Promise<{ memory: UnsettledSubmits; sync: UnsettledSubmitSync }> {
  const memory = new UnsettledSubmits({ ttlMs: 60_000, maxEntries: 100 });
  const sync = new UnsettledSubmitSync({
    kv: nats.topology.kv.unsettledSubmits,
    unsettled: memory,
    logger: testLogger(),
  });
  await sync.start();
  return { memory, sync };
}

describe('UnsettledSubmitSync on a real JetStream', () => {
  it('gives a retry on another pod the first attempt, stored once a late PubAck came, and forgets it everywhere once settled', async () => {
    const a = await pod();
    const b = await pod();
    try {
      // Pod A answered ESME_RMSGQFUL after a publish of unknown outcome.
      a.memory.remember('acme', 'fp-1', 'id-1', 'sms.submit.acme');
      const first = a.memory.entry('id-1');
      if (first === undefined) throw new Error('not remembered');
      a.sync.put(first);
      await waitFor('pod B to learn it', () => b.memory.has('acme'), 5_000);

      // A's late PubAck: B learns that the first attempt is stored.
      a.memory.markStored('id-1');
      a.sync.put(first);
      await waitFor('pod B to learn it is stored', () => b.memory.entry('id-1')?.stored === true, 5_000);

      // The client retries on pod B: the first attempt, then settled there and forgotten on A too.
      const retry = b.memory.claim('acme', 'fp-1');
      expect(retry).toMatchObject({ messageId: 'id-1', subject: 'sms.submit.acme', stored: true });
      if (retry === undefined) throw new Error('no retry');
      b.memory.settle(retry);
      b.sync.settled(retry);
      await waitFor('pod A to forget it', () => !a.memory.has('acme'), 5_000);
      expect(b.memory.has('acme')).toBe(false);
    } finally {
      await a.sync.close();
      await b.sync.close();
    }
  });

  it('hands a pod that starts later the entries already there', async () => {
    const a = await pod();
    try {
      a.memory.remember('globex', 'fp-2', 'id-2', 'sms.submit.globex');
      const entry = a.memory.entry('id-2');
      if (entry === undefined) throw new Error('not remembered');
      a.sync.put(entry);
      await a.sync.written();
      const late = await pod();
      try {
        await waitFor('the late pod to learn it', () => late.memory.has('globex'), 5_000);
        expect(late.memory.claim('globex', 'fp-2')).toMatchObject({ messageId: 'id-2', stored: false });
      } finally {
        await late.sync.close();
      }
    } finally {
      await a.sync.close();
    }
  });
});
