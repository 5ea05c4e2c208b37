/**
 * The worker in-process against a real nats-server: what each simulated
 * outcome publishes, intermediate notifications, idempotence, retries, strict
 * lane priority and draining.
 */
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { errors, type NatsConnection } from '@nats-io/transport-node';
import { connectNats, ensureConnectorLanes, ensureTopology, statusSubject, type Priority } from '@smsgw/nats';
import { MessageState, NetworkType } from '@smsgw/proto';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  TRACEPARENT,
  TRACESTATE,
  counterValue,
  countingDriver,
  createHoldingDriver,
  createImmediateSim,
  laneCounts,
  publishRouted,
  publishRoutedMany,
  routedMessage,
  silentLogger,
  statusStreamSize,
  takeStatusEvents,
  testMetrics,
  waitFor,
  waitForEmptyLanes,
  type StoredStatus,
} from './connector.test-support.ts';
import {
  startConnectorWorker,
  type ConnectorWorker,
  type ConnectorWorkerOptions,
} from './connector-worker.ts';
import type { Driver } from './driver.ts';
import { VALIDITY_ENDED_ERROR_CODE } from './expiry.ts';

const ACK_WAIT_MS = 5_000;
const DONE_AT = new Date('2026-03-04T05:06:07.000Z');

let server: NatsServerHandle;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let connectorSerial = 0;
const running = new Set<ConnectorWorker>();

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({
    ...server.connectOptions,
    name: 'connector-worker-test',
    waitOnFirstConnect: false,
  });
  ({ js, jsm } = await ensureTopology(nc, { owner: 'all' }));
});

afterEach(async () => {
  await Promise.all([...running].map((w) => w.drain()));
  running.clear();
  // Every test reads all the events it caused.
  expect(await statusStreamSize(jsm)).toBe(0);
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

/** A connector with lanes of its own, so tests do not see each other's messages. */
async function newConnector(ackWaitMs = ACK_WAIT_MS): Promise<string> {
  const name = `sim-${++connectorSerial}`;
  await ensureConnectorLanes(jsm, name, { owner: 'all', connector: { ackWaitMs } });
  return name;
}

async function startWorker(
  connector: string,
  overrides: Partial<ConnectorWorkerOptions> = {},
): Promise<{ worker: ConnectorWorker; metrics: ReturnType<typeof testMetrics>['metrics'] }> {
  const { metrics, connector: connectorMetrics } = testMetrics();
  const worker = await startConnectorWorker({
    js,
    connector,
    driver: createImmediateSim(),
    logger: silentLogger(),
    metrics: connectorMetrics,
    maxInFlight: 8,
    pullExpiresMs: 1_000,
    ackWaitMs: ACK_WAIT_MS,
    retry: { minMs: 100, maxMs: 1_000 },
    now: () => DONE_AT,
    pullRetryMs: 100,
    ...overrides,
  });
  running.add(worker);
  return { worker, metrics };
}

function byMessage(events: readonly StoredStatus[]): Map<string, StoredStatus[]> {
  const map = new Map<string, StoredStatus[]>();
  for (const e of events) map.set(e.event.messageId, [...(map.get(e.event.messageId) ?? []), e]);
  return map;
}

describe('sim outcomes', () => {
  it('publishes each outcome as a StatusEvent on the account subject, deduplicated by id and state, with the trace context', async () => {
    const connector = await newConnector();
    const cases = [
      { destination: '4512345670', state: MessageState.DELIVERED, errorCode: 0 },
      { destination: '4512345675', state: MessageState.DELIVERED, errorCode: 0 },
      {
        destination: '4512345676',
        state: MessageState.UNDELIVERABLE,
        errorCode: 0x1013,
        networkError: { type: NetworkType.GSM, code: 6 },
      },
      { destination: '4512345677', state: MessageState.EXPIRED, errorCode: 0x1022 },
      { destination: '4512345678', state: MessageState.REJECTED, errorCode: 0x1034 },
      {
        destination: '4512345609',
        state: MessageState.UNDELIVERABLE,
        errorCode: 0x1010,
        networkError: { type: NetworkType.GSM, code: 1 },
      },
      { destination: 'ExampleCo', state: MessageState.REJECTED, errorCode: 0x1060 },
    ];
    for (const [i, c] of cases.entries()) {
      const routed = routedMessage({ messageId: `10${i}`, systemId: 'acme.eu', destination: c.destination });
      await publishRouted(js, connector, 0, routed);
    }
    await startWorker(connector);

    const events = byMessage(await takeStatusEvents(js, cases.length));
    for (const [i, c] of cases.entries()) {
      const [stored, ...more] = events.get(`10${i}`) ?? [];
      expect(more).toEqual([]);
      expect(stored?.subject).toBe(statusSubject('acme.eu'));
      expect(stored?.msgId).toBe(`10${i}:${c.state}`);
      expect(stored?.traceparent).toBe(TRACEPARENT);
      expect(stored?.tracestate).toBe(TRACESTATE);
      const event = stored?.event;
      expect(event).toMatchObject({
        messageId: `10${i}`,
        systemId: 'acme.eu',
        messageState: c.state,
        errorCode: c.errorCode,
        connector,
        upstreamMessageId: '',
        intermediate: false,
      });
      expect(event?.networkError === undefined ? undefined : { ...event.networkError }).toEqual(
        c.networkError === undefined ? undefined : { $typeName: 'smsgw.v1.NetworkError', ...c.networkError },
      );
      expect(event?.doneAt && timestampDate(event.doneAt)).toEqual(DONE_AT);
    }
    await waitForEmptyLanes(jsm, connector);
  });

  it('falls back to the trace context recorded in the submit when the lane message has none', async () => {
    const connector = await newConnector();
    const routed = routedMessage({
      messageId: '200',
      destination: '4512345670',
      submitTraceparent: TRACEPARENT,
    });
    await publishRouted(js, connector, 1, routed, { trace: null });
    await startWorker(connector);
    const [stored] = await takeStatusEvents(js, 1);
    expect(stored?.traceparent).toBe(TRACEPARENT);
    expect(stored?.tracestate).toBe('');
  });
});

describe('intermediate notifications and receipt requests', () => {
  // registered_delivery: 0x00 none, 0x01 final, 0x02 failure only, 0x10 intermediate bit.
  const cases: { rd: number; destination: string; states: MessageState[] }[] = [
    { rd: 0x00, destination: '4512345670', states: [MessageState.DELIVERED] },
    { rd: 0x01, destination: '4512345670', states: [MessageState.DELIVERED] },
    { rd: 0x02, destination: '4512345670', states: [MessageState.DELIVERED] },
    { rd: 0x02, destination: '4512345676', states: [MessageState.UNDELIVERABLE] },
    { rd: 0x11, destination: '4512345670', states: [MessageState.ENROUTE, MessageState.DELIVERED] },
    { rd: 0x12, destination: '4512345676', states: [MessageState.ENROUTE, MessageState.UNDELIVERABLE] },
    { rd: 0x10, destination: '4512345699', states: [MessageState.ENROUTE] },
    { rd: 0x01, destination: '4512345699', states: [] },
    { rd: 0x02, destination: '4512345699', states: [] },
  ];

  it('emits ENROUTE only with bit 0x10, and every final state whatever receipt was asked for (the dispatcher decides)', async () => {
    const connector = await newConnector();
    for (const [i, c] of cases.entries()) {
      const routed = routedMessage({
        messageId: `30${i}`,
        destination: c.destination,
        registeredDelivery: c.rd,
      });
      await publishRouted(js, connector, 2, routed);
    }
    const { metrics } = await startWorker(connector, { maxInFlight: 1 });
    const expected = cases.reduce((n, c) => n + c.states.length, 0);
    const events = byMessage(await takeStatusEvents(js, expected));
    for (const [i, c] of cases.entries()) {
      const got = events.get(`30${i}`) ?? [];
      expect(
        got.map((e) => e.event.messageState),
        `rd 0x${c.rd.toString(16)} to ${c.destination}`,
      ).toEqual(c.states);
      for (const e of got) {
        expect(e.event.intermediate).toBe(e.event.messageState === MessageState.ENROUTE);
        expect(e.msgId).toBe(`30${i}:${e.event.messageState}`);
      }
    }
    // Every message was acked, the silent ones too, and nothing else was published.
    await waitForEmptyLanes(jsm, connector);
    expect(await statusStreamSize(jsm)).toBe(0);
    expect(
      await counterValue(metrics, 'smsgw_connector_status_events_total', {
        state: 'ENROUTE',
        result: 'skipped',
      }),
    ).toBe(cases.filter((c) => (c.rd & 0x10) === 0).length);
  });
});

describe('at-least-once', () => {
  it('sends a message once when its lane holds it twice, and stores one status event', async () => {
    const connector = await newConnector();
    const routed = routedMessage({ messageId: '400', destination: '4512345670' });
    // Two copies under two stream sequences, both first deliveries: what a missed duplicate window leaves.
    await publishRouted(js, connector, 0, routed, { msgID: '400-a' });
    await publishRouted(js, connector, 0, routed, { msgID: '400-b' });
    const counting = countingDriver(createImmediateSim());
    const { metrics } = await startWorker(connector, { driver: counting.driver, maxInFlight: 1 });
    await waitForEmptyLanes(jsm, connector);
    const [stored] = await takeStatusEvents(js, 1);
    expect(stored?.event.messageId).toBe('400');
    expect(await statusStreamSize(jsm)).toBe(0);
    expect(counting.sends()).toBe(1);
    expect(await counterValue(metrics, 'smsgw_connector_messages_processed_total', { lane: '0' })).toBe(1);
    expect(await counterValue(metrics, 'smsgw_connector_already_handed_over_total', { lane: '0' })).toBe(1);
  });

  it('holds back a second copy while the first is with the driver, then acks it without sending', async () => {
    const connector = await newConnector();
    const routed = routedMessage({ messageId: '410', destination: '4512345670' });
    await publishRouted(js, connector, 1, routed, { msgID: '410-a' });
    await publishRouted(js, connector, 1, routed, { msgID: '410-b' });
    const counting = countingDriver(createHoldingDriver(300));
    const { metrics } = await startWorker(connector, {
      driver: counting.driver,
      maxInFlight: 2,
      prefetch: 2,
    });
    await waitForEmptyLanes(jsm, connector);
    await takeStatusEvents(js, 1);
    expect(counting.sends()).toBe(1);
    expect(
      await counterValue(metrics, 'smsgw_connector_messages_failed_total', {
        lane: '1',
        reason: 'in_progress',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(await counterValue(metrics, 'smsgw_connector_already_handed_over_total', { lane: '1' })).toBe(1);
  });

  it('naks a failed message with back-off and hands it over on the next delivery', async () => {
    const connector = await newConnector();
    const sim = createImmediateSim();
    const deliveries: number[] = [];
    const flaky: Driver = {
      kind: 'flaky',
      async send(delivery) {
        deliveries.push(deliveries.length + 1);
        if (deliveries.length === 1) throw new Error('upstream unavailable');
        await sim.send(delivery);
      },
      close: () => Promise.resolve(),
    };
    await publishRouted(js, connector, 3, routedMessage({ messageId: '500', destination: '4512345678' }));
    const { metrics } = await startWorker(connector, { driver: flaky });
    const [stored] = await takeStatusEvents(js, 1);
    expect(stored?.event).toMatchObject({ messageId: '500', messageState: MessageState.REJECTED });
    expect(deliveries).toEqual([1, 2]);
    expect(
      await counterValue(metrics, 'smsgw_connector_messages_failed_total', { lane: '3', reason: 'driver' }),
    ).toBe(1);
    expect(await counterValue(metrics, 'smsgw_connector_messages_redelivered_total', { lane: '3' })).toBe(1);
    await waitForEmptyLanes(jsm, connector);
  });

  it('never sends a message again because its ENROUTE publish failed after the network accepted it', async () => {
    const connector = await newConnector();
    let failures = 2;
    // The status publishes fail twice (no responders while SMS_STATUS elects a leader), then pass.
    const flakyJs = new Proxy(js, {
      get(target, prop, receiver) {
        if (prop === 'publish') {
          return (
            subject: string,
            ...rest: Parameters<JetStreamClient['publish']> extends [string, ...infer R] ? R : never
          ) => {
            if (subject.startsWith('sms.status.') && failures > 0) {
              failures--;
              return Promise.reject(new errors.NoRespondersError(subject));
            }
            return target.publish(subject, ...rest);
          };
        }
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    let sends = 0;
    const network: Driver = {
      kind: 'network',
      async send(delivery) {
        sends++;
        delivery.accepted();
        await delivery.report({ messageState: MessageState.ENROUTE });
      },
      close: () => Promise.resolve(),
    };
    await publishRouted(
      js,
      connector,
      0,
      routedMessage({ messageId: '550', destination: '4512345670', registeredDelivery: 0x11 }),
    );
    const { metrics } = await startWorker(connector, { js: flakyJs, driver: network });
    await waitForEmptyLanes(jsm, connector);
    const [stored] = await takeStatusEvents(js, 1);
    expect(stored?.event).toMatchObject({ messageId: '550', messageState: MessageState.ENROUTE });
    expect(sends).toBe(1);
    expect(failures).toBe(0);
    expect(await counterValue(metrics, 'smsgw_connector_messages_redelivered_total', { lane: '0' })).toBe(0);
  });

  it('acks, never naks, a message whose driver failed after the network accepted it', async () => {
    const connector = await newConnector();
    let sends = 0;
    const network: Driver = {
      kind: 'network',
      send(delivery) {
        sends++;
        delivery.accepted();
        return Promise.reject(new Error('mapping not stored'));
      },
      close: () => Promise.resolve(),
    };
    await publishRouted(js, connector, 2, routedMessage({ messageId: '560', destination: '4512345670' }));
    const { metrics } = await startWorker(connector, { driver: network });
    await waitForEmptyLanes(jsm, connector);
    expect(sends).toBe(1);
    expect(
      await counterValue(metrics, 'smsgw_connector_messages_failed_total', {
        lane: '2',
        reason: 'after_accept',
      }),
    ).toBe(1);
  });

  it('terminates a message that is not a RoutedMessage and goes on with the next', async () => {
    const connector = await newConnector();
    await js.publish(`sms.route.${connector}.1`, new Uint8Array([0xff, 0xff, 0xff]), { msgID: 'garbage' });
    await publishRouted(js, connector, 1, routedMessage({ messageId: '600', destination: '4512345670' }));
    const { metrics } = await startWorker(connector, { maxInFlight: 1 });
    const [stored] = await takeStatusEvents(js, 1);
    expect(stored?.event.messageId).toBe('600');
    await waitForEmptyLanes(jsm, connector);
    expect(
      await counterValue(metrics, 'smsgw_connector_messages_failed_total', {
        lane: '1',
        reason: 'malformed',
      }),
    ).toBe(1);
  });
});

describe('message validity (README "Message validity")', () => {
  it('reports EXPIRED, never sends, a message whose validity ended while the connector was paused', async () => {
    const connector = await newConnector();
    const expired = routedMessage({ messageId: '800', destination: '4512345670' });
    expired.expiresAt = timestampFromDate(new Date(DONE_AT.getTime() - 1_000));
    const valid = routedMessage({ messageId: '801', destination: '4512345670' });
    valid.expiresAt = timestampFromDate(new Date(DONE_AT.getTime() + 60_000));
    // Routed by an older router: the client's own expiry still counts.
    const clientExpiry = routedMessage({ messageId: '802', destination: '4512345670' });
    clientExpiry.submit!.expiresAt = timestampFromDate(DONE_AT);
    for (const routed of [expired, valid, clientExpiry]) await publishRouted(js, connector, 0, routed);
    const sent: string[] = [];
    const sim = createImmediateSim();
    const counting: Driver = {
      kind: 'counting',
      async send(delivery) {
        sent.push(delivery.submit.messageId);
        await sim.send(delivery);
      },
      close: () => Promise.resolve(),
    };
    // Only now does the connector run: the messages waited on its lane.
    const { metrics } = await startWorker(connector, { driver: counting });
    const events = byMessage(await takeStatusEvents(js, 3));
    await waitForEmptyLanes(jsm, connector);
    expect(sent).toEqual(['801']);
    for (const id of ['800', '802']) {
      expect(events.get(id)?.map((e) => e.event)).toMatchObject([
        { messageState: MessageState.EXPIRED, errorCode: VALIDITY_ENDED_ERROR_CODE, connector },
      ]);
    }
    expect(events.get('801')?.[0]?.event.messageState).toBe(MessageState.DELIVERED);
    expect(await counterValue(metrics, 'smsgw_connector_messages_expired_total', { lane: '0' })).toBe(2);
  });
});

describe('lanes', () => {
  it('serves the lanes by strict priority: all of 3, then 2, then 1, then 0', async () => {
    const connector = await newConnector();
    const perLane = 15;
    const items = ([0, 1, 2, 3] as const).flatMap((priority) =>
      Array.from({ length: perLane }, (_, i) => ({
        priority,
        routed: routedMessage({
          messageId: `7${priority}${String(i).padStart(2, '0')}`,
          destination: '4512345670',
          priority,
        }),
      })),
    );
    await publishRoutedMany(js, connector, items);
    await startWorker(connector, { maxInFlight: 1, prefetch: 4 });
    const events = await takeStatusEvents(js, items.length);
    const lanes = events.map((e) => Number(e.event.messageId[1]));
    expect(lanes).toEqual([3, 2, 1, 0].flatMap((p) => Array<number>(perLane).fill(p)));
    await waitForEmptyLanes(jsm, connector);
  });

  it('LANES: a priority-3 message queued after 10,000 priority-0 ones is among the first maxInFlight status events', async () => {
    const connector = await newConnector();
    const bulk = 10_000;
    const maxInFlight = 16;
    const items: { priority: Priority; routed: ReturnType<typeof routedMessage> }[] = Array.from(
      { length: bulk },
      (_, i) => ({
        priority: 0,
        routed: routedMessage({ messageId: `8${i}`, destination: `45${i}`, priority: 0 }),
      }),
    );
    // Every destination gets a final answer: ...99 would never answer.
    for (const item of items) {
      const addr = item.routed.submit?.destination?.addr ?? '';
      if (addr.endsWith('99') && item.routed.submit?.destination)
        item.routed.submit.destination.addr = `${addr}0`;
    }
    await publishRoutedMany(js, connector, items);
    await publishRouted(
      js,
      connector,
      3,
      routedMessage({ messageId: 'urgent', destination: '4512345670', priority: 3 }),
    );
    expect(await laneCounts(jsm, connector)).toEqual({ pending: bulk + 1, ackPending: 0 });

    await startWorker(connector, { maxInFlight });
    const events = await takeStatusEvents(js, bulk + 1, 60_000);
    const position = events.findIndex((e) => e.event.messageId === 'urgent');
    // Position in the order SMS_STATUS stored the events: before it, at most the
    // priority-0 messages that were with the driver alongside it.
    expect(position).toBeGreaterThanOrEqual(0);
    expect(position).toBeLessThan(maxInFlight);
    expect(new Set(events.map((e) => e.event.messageId)).size).toBe(bulk + 1);
    await waitForEmptyLanes(jsm, connector);
  }, 90_000);
});

describe('shutdown', () => {
  it('drain stops pulling, finishes what it took and leaves nothing unacked; a restart does the rest', async () => {
    const connector = await newConnector();
    const total = 40;
    await publishRoutedMany(
      js,
      connector,
      Array.from({ length: total }, (_, i) => ({
        priority: 0 as const,
        routed: routedMessage({ messageId: `90${i}`, destination: '4512345670' }),
      })),
    );
    const { worker, metrics } = await startWorker(connector, {
      driver: createHoldingDriver(100),
      maxInFlight: 4,
      prefetch: 4,
    });
    await waitFor(
      async () =>
        (await counterValue(metrics, 'smsgw_connector_messages_processed_total', { lane: '0' })) >= 4,
      10_000,
      'a few messages handed over',
    );
    await worker.drain();
    running.delete(worker);
    const processed = await counterValue(metrics, 'smsgw_connector_messages_processed_total', { lane: '0' });
    expect(worker.inFlight).toBe(0);
    const counts = await laneCounts(jsm, connector);
    expect(counts.ackPending).toBe(0);
    expect(counts.pending).toBe(total - processed);
    expect(processed).toBeLessThan(total);

    await startWorker(connector);
    const events = await takeStatusEvents(js, total);
    expect(new Set(events.map((e) => e.event.messageId)).size).toBe(total);
    await waitForEmptyLanes(jsm, connector);
  });

  it('gives everything back at once when the grace period runs out', async () => {
    // An ack wait far beyond the test's timeout: only a nak can bring the messages back in time.
    const connector = await newConnector(600_000);
    await publishRoutedMany(
      js,
      connector,
      Array.from({ length: 10 }, (_, i) => ({
        priority: 2 as const,
        routed: routedMessage({ messageId: `95${i}`, destination: '4512345670' }),
      })),
    );
    const { worker, metrics } = await startWorker(connector, {
      driver: createHoldingDriver(600_000),
      maxInFlight: 2,
      prefetch: 4,
    });
    await waitFor(() => Promise.resolve(worker.inFlight === 2), 10_000, 'two messages with the driver');
    const controller = new AbortController();
    controller.abort();
    await worker.drain(controller.signal);
    running.delete(worker);
    expect(worker.inFlight).toBe(0);
    expect(
      await counterValue(metrics, 'smsgw_connector_messages_failed_total', { lane: '2', reason: 'aborted' }),
    ).toBe(2);
    expect(await counterValue(metrics, 'smsgw_connector_messages_processed_total', { lane: '2' })).toBe(0);

    const next = await startWorker(connector);
    const events = await takeStatusEvents(js, 10);
    expect(new Set(events.map((e) => e.event.messageId)).size).toBe(10);
    expect(
      await counterValue(next.metrics, 'smsgw_connector_messages_redelivered_total', { lane: '2' }),
    ).toBeGreaterThanOrEqual(2);
    await waitForEmptyLanes(jsm, connector);
  });
});
