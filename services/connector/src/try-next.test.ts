/**
 * "Try next" in the worker, against a real nats-server: a driver refusing
 * with TryNextConnectorError hands the message to the route's next connector
 * (which delivers it), or with none left the message ends REJECTED; the
 * hand-on carries the rest of the list under its own Nats-Msg-Id.
 */
import { fromBinary } from '@bufbuild/protobuf';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  Header,
  StreamName,
  connectNats,
  connectorLaneConsumerName,
  ensureConnectorLanes,
  ensureTopology,
} from '@smsgw/nats';
import { MessageState, RoutedMessageSchema } from '@smsgw/proto';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  TRACEPARENT,
  counterValue,
  publishRouted,
  routedMessage,
  silentLogger,
  statusStreamSize,
  takeStatusEvents,
  testMetrics,
  waitForEmptyLanes,
} from './connector.test-support.ts';
import { startConnectorWorker, type ConnectorWorker } from './connector-worker.ts';
import type { Driver } from './driver.ts';
import { TryNextConnectorError } from './errors.ts';
import { createSimDriver } from './sim/sim-driver.ts';
import { handedOn, tryNextExhaustedErrorCode, tryNextMsgId } from './try-next.ts';

const ESME_RSUBMITFAIL = 0x45;

let server: NatsServerHandle;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let serial = 0;
const running = new Set<ConnectorWorker>();

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({ ...server.connectOptions, name: 'try-next-test', waitOnFirstConnect: false });
  ({ js, jsm } = await ensureTopology(nc, { owner: 'all' }));
});

afterEach(async () => {
  await Promise.all([...running].map((w) => w.drain()));
  running.clear();
  expect(await statusStreamSize(jsm)).toBe(0);
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

/** Connectors with lanes of their own, named `<prefix>-<serial>`. */
async function connectors(...prefixes: string[]): Promise<string[]> {
  serial++;
  const names = prefixes.map((p) => `${p}-${serial}`);
  for (const name of names) await ensureConnectorLanes(jsm, name, { owner: 'all' });
  return names;
}

/** A driver that refuses everything with a try-next command_status, as `smpp` does for CONNECTOR_TRY_NEXT_STATUSES. */
function refusingDriver(): Driver & { readonly refused: string[] } {
  const refused: string[] = [];
  return {
    kind: 'refusing',
    refused,
    send(delivery) {
      refused.push(delivery.submit.messageId);
      return Promise.reject(
        new TryNextConnectorError('upstream answered ESME_RSUBMITFAIL', ESME_RSUBMITFAIL),
      );
    },
    close: () => Promise.resolve(),
  };
}

async function startWorker(connector: string, driver: Driver) {
  const { metrics, connector: connectorMetrics } = testMetrics();
  const worker = await startConnectorWorker({
    js,
    connector,
    driver,
    logger: silentLogger(),
    metrics: connectorMetrics,
    maxInFlight: 8,
    pullExpiresMs: 1_000,
    ackWaitMs: 5_000,
    retry: { minMs: 100, maxMs: 1_000 },
    pullRetryMs: 100,
  });
  running.add(worker);
  return { worker, metrics };
}

describe('try next', () => {
  it('hands a refused message to the next connectors in order; the one that takes it reports', async () => {
    const [a, b, c] = await connectors('a', 'b', 'c');
    if (a === undefined || b === undefined || c === undefined) throw new Error('three connectors');
    const refusingA = refusingDriver();
    const refusingB = refusingDriver();
    const workerA = await startWorker(a, refusingA);
    const workerB = await startWorker(b, refusingB);
    await startWorker(c, createSimDriver({ latency: { minMs: 0, maxMs: 0 } }));

    const routed = routedMessage({ messageId: '500', destination: '4512345670', connector: a });
    routed.fallbackConnectors = [b, c];
    await publishRouted(js, a, 1, routed);

    const [event, ...more] = await takeStatusEvents(js, 1);
    expect(more).toEqual([]);
    expect(event?.event).toMatchObject({
      messageId: '500',
      messageState: MessageState.DELIVERED,
      connector: c,
    });
    // The trace goes on: the status event's trace id is the lane message's.
    expect(event?.traceparent.split('-')[1]).toBe(TRACEPARENT.split('-')[1]);
    expect([refusingA.refused, refusingB.refused]).toEqual([['500'], ['500']]);
    for (const connector of [a, b, c]) await waitForEmptyLanes(jsm, connector);
    expect(
      await counterValue(workerA.metrics, 'smsgw_connector_try_next_total', { result: 'handed_on', to: b }),
    ).toBe(1);
    expect(
      await counterValue(workerB.metrics, 'smsgw_connector_try_next_total', { result: 'handed_on', to: c }),
    ).toBe(1);
  });

  it('with no connector left: a final REJECTED with the command_status mapped, and the message acked', async () => {
    const [a] = await connectors('last');
    if (a === undefined) throw new Error('one connector');
    const { metrics } = await startWorker(a, refusingDriver());
    await publishRouted(
      js,
      a,
      0,
      routedMessage({ messageId: '501', destination: '4512345670', connector: a }),
    );

    const [event] = await takeStatusEvents(js, 1);
    expect(event?.event).toMatchObject({
      messageId: '501',
      messageState: MessageState.REJECTED,
      errorCode: 0x1145,
      connector: a,
      intermediate: false,
    });
    await waitForEmptyLanes(jsm, a);
    expect(await counterValue(metrics, 'smsgw_connector_try_next_total', { result: 'exhausted' })).toBe(1);
  });

  it('publishes the hand-on on the same lane of the next connector, with the rest of the list and its own Nats-Msg-Id', async () => {
    const [a, b, c] = await connectors('from', 'to', 'then');
    if (a === undefined || b === undefined || c === undefined) throw new Error('three connectors');
    await startWorker(a, refusingDriver());
    const routed = routedMessage({ messageId: '502', destination: '4512345670', connector: a, priority: 2 });
    routed.fallbackConnectors = [b, c];
    routed.routeId = 'acme:45';
    await publishRouted(js, a, 2, routed);
    await waitForEmptyLanes(jsm, a);

    const lane = await js.consumers.get(StreamName.route, connectorLaneConsumerName(b, 2));
    const taken = await lane.next({ expires: 5_000 });
    if (taken === null) throw new Error('nothing handed on');
    const next = fromBinary(RoutedMessageSchema, taken.data);
    expect(taken.headers?.get(Header.msgId)).toBe(tryNextMsgId('502', b));
    expect(taken.headers?.get(Header.traceparent).split('-')[1]).toBe(TRACEPARENT.split('-')[1]);
    expect([next.connector, next.fallbackConnectors, next.priorityFlag, next.routeId]).toEqual([
      b,
      [c],
      2,
      'acme:45',
    ]);
    expect(next.submit?.messageId).toBe('502');
    await taken.ackAck();
  });
});

describe('try-next helpers', () => {
  it('maps the command_status into 0x11xx', () => {
    expect(tryNextExhaustedErrorCode(0x45)).toBe(0x1145);
    expect(tryNextExhaustedErrorCode(0x58)).toBe(0x1158);
    expect(tryNextExhaustedErrorCode(0x400)).toBe(0x1100);
  });

  it('hands on nothing when no connector is left', () => {
    expect(handedOn(routedMessage({ messageId: '1', destination: '1' }))).toBeUndefined();
  });
});
