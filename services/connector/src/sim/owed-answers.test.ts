import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  StreamName,
  connectNats,
  ensureConsumer,
  ensureTopology,
  simConsumerName,
  simConsumerSpec,
  type Topology,
} from '@smsgw/nats';
import { SimPendingBatchSchema, SimPendingSchema } from '@smsgw/proto';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OwedAnswers, SIM_BATCH_MAX, groupByTime, simBatchMsgId } from './owed-answers.ts';
import { decodeSimAnswers } from './sim-network.ts';

describe('groupByTime', () => {
  it('keeps the order, never exceeds the size, never spans more than the span, and cuts only where it must', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 200 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 1, max: 40 }),
        (times, spanMs, max) => {
          const sorted = [...times].sort((a, b) => a - b).map((dueMs) => ({ dueMs }));
          const groups = groupByTime(sorted, spanMs, max);
          expect(groups.flat()).toEqual(sorted);
          for (const [i, group] of groups.entries()) {
            expect(group.length).toBeGreaterThan(0);
            expect(group.length).toBeLessThanOrEqual(max);
            expect((group.at(-1)?.dueMs ?? 0) - (group[0]?.dueMs ?? 0)).toBeLessThanOrEqual(spanMs);
            // A group ends early only because the next answer would break a bound.
            const next = groups[i + 1]?.[0];
            if (next !== undefined) {
              expect(group.length === max || next.dueMs - (group[0]?.dueMs ?? 0) > spanMs).toBe(true);
            }
          }
        },
      ),
    );
  });
});

describe('simBatchMsgId', () => {
  it('is the message id for a batch of one, and names the ends and the size otherwise', () => {
    expect(simBatchMsgId(['a1'])).toBe('a1');
    expect(simBatchMsgId(['a1', 'a2', 'a3'])).toBe('a1..a3+3');
  });
});

describe('decodeSimAnswers', () => {
  it('reads a batch, and a single SimPending of an older connector as a batch of one', () => {
    const one = create(SimPendingSchema, {
      envelope: { messageId: 'm1', systemId: 'acme' },
      answerAt: timestampFromMs(1_000),
    });
    const two = create(SimPendingSchema, { envelope: { messageId: 'm2' }, answerAt: timestampFromMs(2_000) });
    const batch = toBinary(SimPendingBatchSchema, create(SimPendingBatchSchema, { answers: [one, two] }));
    expect(decodeSimAnswers(batch).map((a) => a.envelope?.messageId)).toEqual(['m1', 'm2']);
    expect(decodeSimAnswers(toBinary(SimPendingSchema, one))).toEqual([one]);
  });
});

describe('OwedAnswers on a real JetStream', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let topology: Topology;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats({ ...server.connectOptions, name: 'owed-answers-test' });
    topology = await ensureTopology(nc, { owner: 'all' });
  });
  afterAll(async () => {
    await nc.drain();
    await server.stop();
  });

  it("stores one turn's answers as few messages, grouped by time, each caller resolved once stored", async () => {
    const connector = 'batching';
    const owed = new OwedAnswers(
      {
        js: topology.js,
        jsm: topology.jsm,
        connector,
        topology: topology.options,
        retry: { minMs: 1, maxMs: 1 },
      },
      1_000,
    );
    const base = 1_700_000_000_000;
    // 70 answers due close together (three batches: 32 + 32 + 6), and 2 due 5 s later (a fourth).
    const times = [...Array.from({ length: 70 }, (_, i) => base + i), base + 5_000, base + 5_001];
    await Promise.all(
      times.map((t, i) =>
        owed.owe(
          create(SimPendingSchema, { envelope: { messageId: `m${i}` }, answerAt: timestampFromMs(t) }),
          `m${i}`,
        ),
      ),
    );
    await ensureConsumer(topology.jsm, StreamName.sim, simConsumerSpec(connector, topology.options));
    const consumer = await topology.js.consumers.get(StreamName.sim, simConsumerName(connector));
    const batches = [];
    for await (const m of await consumer.fetch({ max_messages: 10, expires: 1_000 })) {
      batches.push(fromBinary(SimPendingBatchSchema, m.data).answers.length);
      m.ack();
    }
    expect(batches).toEqual([SIM_BATCH_MAX, SIM_BATCH_MAX, 6, 2]);
  });

  it('rejects every caller of a batch that could not be stored', async () => {
    const closed = await connectNats({ ...server.connectOptions, name: 'owed-answers-closed' });
    const owed = new OwedAnswers(
      {
        js: jetstream(closed),
        jsm: topology.jsm,
        connector: 'closed',
        topology: topology.options,
        retry: { minMs: 1, maxMs: 1 },
      },
      1_000,
    );
    await closed.close();
    const results = await Promise.allSettled(
      [1, 2].map((i) => owed.owe(create(SimPendingSchema, { envelope: { messageId: `x${i}` } }), `x${i}`)),
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
