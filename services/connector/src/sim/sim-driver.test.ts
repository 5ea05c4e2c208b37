import { create, toBinary } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  StreamName,
  connectNats,
  ensureTopology,
  simConsumerName,
  simSubject,
  type Topology,
} from '@smsgw/nats';
import {
  MessageEnvelopeSchema,
  MessageState,
  RoutedMessageSchema,
  SimPendingSchema,
  SubmitAcceptedSchema,
  type MessageEnvelope,
} from '@smsgw/proto';
import { startNatsServer, waitFor, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '@smsgw/runtime';
import { silentLogger } from '../connector.test-support.ts';
import { createConnectorMetrics } from '../connector-metrics.ts';
import type { Delivery, DriverContext, StatusReport } from '../driver.ts';
import { createSimDriver, type SimNetworkStore } from './sim-driver.ts';
import { SimStatus } from './sim-outcome.ts';

function delivery(
  destination: string,
  messageId = '1',
  signal = new AbortController().signal,
): Delivery & { reports: StatusReport[]; wasAccepted: () => boolean } {
  const reports: StatusReport[] = [];
  let accepted = false;
  const submit = create(SubmitAcceptedSchema, {
    messageId,
    systemId: 'acme',
    destination: { addr: destination },
  });
  return {
    submit,
    routed: create(RoutedMessageSchema, { submit }),
    priority: 0,
    envelope: create(MessageEnvelopeSchema, {
      messageId,
      systemId: 'acme',
      destination: { addr: destination },
    }),
    signal,
    reports,
    accepted: () => {
      accepted = true;
    },
    wasAccepted: () => accepted,
    report: (status) => {
      reports.push(status);
      return Promise.resolve();
    },
  };
}

const immediate = { latency: { minMs: 0, maxMs: 0 } };

describe('sim driver, latency 0 (answers inside send)', () => {
  it('reports ENROUTE, then the final answer, and resolves after it', async () => {
    const d = delivery('4512345676');
    await createSimDriver(immediate).send(d);
    expect(d.reports).toEqual([{ messageState: MessageState.ENROUTE }, SimStatus.absentSubscriber]);
  });

  it('reports only ENROUTE for a number that never answers', async () => {
    const d = delivery('4512345699');
    await createSimDriver(immediate).send(d);
    expect(d.reports).toEqual([{ messageState: MessageState.ENROUTE }]);
  });

  it('passes a failed report on to the worker, which retries the message', async () => {
    const d = delivery('4512345670');
    const failing: Delivery = { ...d, report: () => Promise.reject(new Error('no PubAck')) };
    await expect(createSimDriver(immediate).send(failing)).rejects.toThrow('no PubAck');
    // Nothing is stored at latency 0: a resend to the sim is how its answer is given again.
    expect(d.wasAccepted()).toBe(false);
  });

  it('needs a store for a latency', () => {
    expect(() => createSimDriver({ latency: { minMs: 1, maxMs: 2 } })).toThrow(TypeError);
  });
});

describe('sim driver with a latency (answers kept in SMS_SIM)', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let topology: Topology;
  let connectorSeq = 0;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats({ ...server.connectOptions, name: 'sim-driver-test' });
    topology = await ensureTopology(nc, { owner: 'all', sim: { ackWaitMs: 2_000 } });
  });
  afterAll(async () => {
    await nc.drain();
    await server.stop();
  });

  function store(): SimNetworkStore {
    connectorSeq += 1;
    return {
      js: topology.js,
      jsm: topology.jsm,
      connector: `sim${connectorSeq}`,
      topology: topology.options,
      retry: { minMs: 50, maxMs: 200 },
    };
  }

  function collector(): DriverContext & { answers: Array<[string, StatusReport]> } {
    const answers: Array<[string, StatusReport]> = [];
    return {
      logger: silentLogger(),
      answers,
      receiveMo: () => Promise.resolve({ commandStatus: 0 }),
      report: (envelope: MessageEnvelope, status: StatusReport) => {
        answers.push([envelope.messageId, status]);
        return Promise.resolve();
      },
    };
  }

  it('resolves after ENROUTE and gives the final answer later, once', async () => {
    const s = store();
    const driver = createSimDriver({ latency: { minMs: 200, maxMs: 400 }, store: s });
    const context = collector();
    await driver.start?.(context);
    const d = delivery('4512345677', 'a1');
    const startedAt = Date.now();
    await driver.send(d);
    expect(Date.now() - startedAt).toBeLessThan(200);
    expect(d.reports).toEqual([{ messageState: MessageState.ENROUTE }]);
    // The answer is stored: from here on a failed ENROUTE must not send the message again.
    expect(d.wasAccepted()).toBe(true);
    expect(context.answers).toEqual([]);
    await waitFor('the final answer', () => context.answers.length === 1);
    expect(context.answers).toEqual([['a1', SimStatus.expired]]);
    await driver.close();
    expect((await topology.jsm.streams.info(StreamName.sim)).state.messages).toBe(0);
  });

  it('owes one answer for a message sent twice (a redelivery), none for a number that never answers', async () => {
    const s = store();
    const driver = createSimDriver({ latency: { minMs: 50, maxMs: 50 }, store: s });
    const context = collector();
    await driver.start?.(context);
    await driver.send(delivery('4512345670', 'b1'));
    await driver.send(delivery('4512345670', 'b1'));
    await driver.send(delivery('4512345699', 'b2'));
    await waitFor('the answer', () => context.answers.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(context.answers).toEqual([['b1', SimStatus.delivered]]);
    await driver.close();
  });

  it('keeps the answers a stopped connector owed, and a restarted one gives them', async () => {
    const s = store();
    // Due after the hold (half the 2 s ack wait): given back until due, and the connector stops before
    // (its stop waits out the open pull, 5 s; 12 s leave room for a busy machine).
    const first = createSimDriver({ latency: { minMs: 12_000, maxMs: 12_000 }, store: s });
    const lost = collector();
    await first.start?.(lost);
    for (let i = 0; i < 20; i++) await first.send(delivery('4512345678', `c${i}`));
    await first.close();
    expect(lost.answers).toEqual([]);
    expect(
      (await topology.jsm.consumers.info(StreamName.sim, simConsumerName(s.connector))).num_pending +
        (await topology.jsm.consumers.info(StreamName.sim, simConsumerName(s.connector))).num_ack_pending,
    ).toBe(20);

    // The same connector, started again: the answers it owed are given when due, each once.
    const second = createSimDriver({ latency: { minMs: 1, maxMs: 1 }, store: s });
    const given = collector();
    await second.start?.(given);
    await waitFor('every owed answer', () => given.answers.length === 20, 30_000);
    expect(new Set(given.answers.map(([id]) => id)).size).toBe(20);
    expect(given.answers.every(([, status]) => status === SimStatus.destinationBlocked)).toBe(true);
    await second.close();
  }, 60_000);

  it('gives the answers of a turn stored together, and an answer stored alone by an older connector', async () => {
    const s = store();
    // Stored the way connectors before batches did: one SimPending, Nats-Msg-Id = message id.
    const legacy = create(SimPendingSchema, {
      envelope: { messageId: 'e0', systemId: 'acme', destination: { addr: '4512345670' } },
      answerAt: timestampFromMs(Date.now()),
    });
    await topology.js.publish(simSubject(s.connector), toBinary(SimPendingSchema, legacy), { msgID: 'e0' });
    const driver = createSimDriver({ latency: { minMs: 50, maxMs: 150 }, store: s });
    const context = collector();
    await driver.start?.(context);
    await Promise.all(Array.from({ length: 40 }, (_, i) => driver.send(delivery('4512345670', `e${i + 1}`))));
    await waitFor('every answer', () => context.answers.length === 41);
    expect(new Set(context.answers.map(([id]) => id)).size).toBe(41);
    await driver.close();
    expect((await topology.jsm.streams.info(StreamName.sim)).state.messages).toBe(0);
  });

  it('counts a message owed by two stored batches as a repeat, and sent once when its batch of one is stored again', async () => {
    const accepted = createConnectorMetrics(
      createMetrics({ service: 'connector', defaultMetrics: false }),
    ).simAccepted;
    const s = { ...store(), accepted };
    const driver = createSimDriver({ latency: { minMs: 50, maxMs: 50 }, store: s });
    const context = collector();
    await driver.start?.(context);
    const count = async (outcome: string): Promise<number> =>
      (await accepted.get()).values.find((v) => v.labels['outcome'] === outcome)?.value ?? 0;
    // f1 stored with f2 in one batch, then handed over again alone (a redelivery): a batch of its own.
    await Promise.all([driver.send(delivery('4512345670', 'f1')), driver.send(delivery('4512345670', 'f2'))]);
    await driver.send(delivery('4512345670', 'f1'));
    await waitFor('both answers of f1', () => context.answers.filter(([id]) => id === 'f1').length === 2);
    await waitFor('the repeat counted', async () => (await count('repeat')) === 1);
    // A batch of one handed over again is dropped by SMS_SIM's duplicate window: counted there, answered once.
    await driver.send(delivery('4512345670', 'f3'));
    await driver.send(delivery('4512345670', 'f3'));
    await waitFor('the answer of f3', () => context.answers.some(([id]) => id === 'f3'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(context.answers.filter(([id]) => id === 'f3')).toHaveLength(1);
    expect(await count('repeat')).toBe(2);
    await driver.close();
  });

  it('retries an answer whose status could not be stored, without the message being sent again', async () => {
    const s = store();
    const driver = createSimDriver({ latency: { minMs: 10, maxMs: 10 }, store: s });
    let failures = 2;
    const context = collector();
    await driver.start?.({
      ...context,
      report: (envelope, status) => {
        if (failures > 0) {
          failures -= 1;
          return Promise.reject(new Error('no PubAck'));
        }
        return context.report(envelope, status);
      },
    });
    const d = delivery('4512345670', 'd1');
    await driver.send(d);
    await waitFor('the answer after two failures', () => context.answers.length === 1, 10_000);
    expect(d.reports).toEqual([{ messageState: MessageState.ENROUTE }]);
    await driver.close();
  });
});
