/**
 * DeliveryPusher (with its AccountPumps and a PresenceView) against a real
 * NATS and a real EdgeDelivery gRPC server standing in for an edge pod: an
 * account's backlog goes to the pod that holds its receiver, never more at
 * once than the window the pod is known to have (the DLR pacing), every
 * report acked once delivered; a pump stops with the account's last receiver
 * and its backlog waits, stored, for the next; direct delivery bypasses the
 * backlog when the account has a receiver with room, and a direct report that
 * finds none is held for room within its bounds (direct-holds.ts), then falls
 * back to the backlog.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  StreamName,
  connectNats,
  dlrSubject,
  encodePresenceValue,
  ensureDlrConsumer,
  ensureTopology,
  presenceKey,
  statusSubject,
  type EnsureTopologyOptions,
  type Topology,
} from '@smsgw/nats';
import {
  DeliverOutcome,
  DeliverResponseSchema,
  DeliveryReportSchema,
  StatusEventSchema,
  type DeliverRequest,
  type DeliverResponse,
  type DeliveryReport,
} from '@smsgw/proto';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryPusher, type DeliveryPusherOptions } from './delivery-pusher.ts';
import {
  captureLogger,
  makeEnvelope,
  makeStatus,
  startTestEdge,
  testMetrics,
  waitFor,
} from './dispatcher.test-support.ts';
import type { DispatcherMetrics } from './metrics.ts';
import { PresenceView } from './presence-view.ts';
import { startStatusWorker } from './status-worker.ts';

const SESSION_WINDOW = 4;
const options: EnsureTopologyOptions = { owner: 'all' };
let server: NatsServerHandle;
let nc: NatsConnection;
let topology: Topology;
const stops: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({
    ...server.connectOptions,
    name: 'delivery-pusher-test',
    waitOnFirstConnect: false,
  });
  topology = await ensureTopology(nc, options);
});

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

/** What the test edge saw: reports delivered (by message id) and the most attempts outstanding at once. */
interface EdgeRecord {
  readonly delivered: string[];
  maxOutstanding: number;
}

/** An edge pod with one receiver of every account: answers each report DELIVERED a few ms later. */
async function startEdge(): Promise<{ address: string; record: EdgeRecord }> {
  const record: EdgeRecord = { delivered: [], maxOutstanding: 0 };
  let outstanding = 0;
  const { server: grpc, address } = await startTestEdge((call) => {
    call.on('data', (request: DeliverRequest) => {
      for (const r of request.batch.length > 0 ? request.batch : [request]) {
        outstanding++;
        record.maxOutstanding = Math.max(record.maxOutstanding, outstanding);
        setTimeout(() => {
          outstanding--;
          record.delivered.push(r.report?.messageId ?? '?');
          const value = { deliveryId: r.deliveryId, outcome: DeliverOutcome.DELIVERED, sessionId: 's1' };
          call.write(create(DeliverResponseSchema, { kind: { case: 'result', value } }));
        }, 5);
      }
    });
  });
  stops.push(() => {
    grpc.forceShutdown();
  });
  return { address, record };
}

async function announce(account: string, address: string): Promise<void> {
  await topology.kv.presence.put(
    presenceKey(account, 'edge-0'),
    encodePresenceValue({
      pod: 'edge-0',
      grpcAddress: address,
      receivers: 1,
      updatedAt: new Date().toISOString(),
    }),
  );
}

async function backlog(account: string, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) {
    const report = create(DeliveryReportSchema, {
      reportId: `${account}-r${String(i)}`,
      messageId: `${account}-m${String(i)}`,
      systemId: account,
    });
    await topology.js.publish(dlrSubject(account), toBinary(DeliveryReportSchema, report), {
      msgID: report.reportId,
    });
  }
}

/** Reports of `account` still stored in its priority-0 backlog. */
async function stored(account: string): Promise<number> {
  const info = await topology.jsm.streams.info(StreamName.dlr, { subjects_filter: dlrSubject(account) });
  return info.state.subjects?.[dlrSubject(account)] ?? 0;
}

async function startPusher(
  extra: Partial<DeliveryPusherOptions> = {},
  metrics: DispatcherMetrics = testMetrics(),
): Promise<DeliveryPusher> {
  const { logger } = captureLogger();
  const presence = new PresenceView({ kv: topology.kv.presence, ttlMs: 60_000, logger });
  await presence.start();
  const pusher = new DeliveryPusher({
    js: topology.js,
    presence,
    ensureConsumer: async (jsm: JetStreamManager, account, priority) =>
      (await ensureDlrConsumer(jsm, account, options, priority)).name,
    metrics,
    logger,
    sessionWindow: SESSION_WINDOW,
    probeIntervalMs: 100,
    maxAttempts: 3,
    retry: { minMs: 100, maxMs: 500 },
    roomWaitMs: 1_000,
    resultTimeoutMs: 5_000,
    reconnect: { minMs: 50, maxMs: 200 },
    batchSize: 16,
    pullExpiresMs: 1_000,
    restartDelayMs: 100,
    ...extra,
  });
  pusher.start();
  stops.push(async () => {
    await pusher.stop();
    await presence.close();
  });
  return pusher;
}

describe('DeliveryPusher', () => {
  it("delivers an account's backlog to the pod holding its receiver, never more at once than its window, acking each", async () => {
    const edge = await startEdge();
    await backlog('acme', 0, 40);
    await announce('acme', edge.address);
    const pusher = await startPusher();
    await waitFor('all 40 delivered', () => new Set(edge.record.delivered).size === 40);
    expect(pusher.accounts).toEqual(['acme']);
    expect(edge.record.maxOutstanding).toBeGreaterThan(0);
    expect(edge.record.maxOutstanding).toBeLessThanOrEqual(SESSION_WINDOW);
    await waitFor('the backlog acked', async () => (await stored('acme')) === 0);
  });

  it("stops the account's pump with its last receiver; its backlog waits, stored, for the next one", async () => {
    const edge = await startEdge();
    await announce('globex', edge.address);
    const pusher = await startPusher();
    await waitFor('globex pumped', () => pusher.accounts.includes('globex'));
    await topology.kv.presence.delete(presenceKey('globex', 'edge-0'));
    await waitFor('globex no longer pumped', () => !pusher.accounts.includes('globex'));
    await backlog('globex', 0, 5);
    expect(await stored('globex')).toBe(5);
    await announce('globex', edge.address);
    await waitFor('the 5 delivered on the next bind', () => new Set(edge.record.delivered).size === 5);
    await waitFor('the backlog acked', async () => (await stored('globex')) === 0);
  });

  it('delivers directly only when the account has a receiver with room', async () => {
    const edge = await startEdge();
    await announce('initech', edge.address);
    const pusher = await startPusher();
    await waitFor('initech pumped', () => pusher.accounts.includes('initech'));
    const report = (account: string) =>
      create(DeliveryReportSchema, {
        reportId: `${account}-d`,
        messageId: `${account}-d`,
        systemId: account,
      });
    expect(await pusher.tryDeliver(report('initech'), undefined)).toBe(true);
    expect(edge.record.delivered).toEqual(['initech-d']);
    // No receiver anywhere: the caller stores it in the backlog instead.
    expect(await pusher.tryDeliver(report('nobody'), undefined)).toBe(false);
  });
});

/** An edge pod with one receiver of every account that answers DELIVERED only when the test says. */
interface GatedEdge {
  readonly address: string;
  /** Message ids of the reports received, in order. */
  readonly received: string[];
  /** Reports received and not answered yet. */
  readonly pending: number;
  /** Answers the `n` oldest pending reports DELIVERED. */
  answer(n: number): void;
}

async function startGatedEdge(): Promise<GatedEdge> {
  const received: string[] = [];
  const pending: (() => void)[] = [];
  const { server: grpc, address } = await startTestEdge(
    (call: ServerDuplexStream<DeliverRequest, DeliverResponse>) => {
      call.on('data', (request: DeliverRequest) => {
        for (const r of request.batch.length > 0 ? request.batch : [request]) {
          received.push(r.report?.messageId ?? '?');
          pending.push(() => {
            const value = { deliveryId: r.deliveryId, outcome: DeliverOutcome.DELIVERED, sessionId: 's1' };
            call.write(create(DeliverResponseSchema, { kind: { case: 'result', value } }));
          });
        }
      });
    },
  );
  stops.push(() => {
    grpc.forceShutdown();
  });
  return {
    address,
    received,
    get pending() {
      return pending.length;
    },
    answer(n) {
      for (const send of pending.splice(0, n)) send();
    },
  };
}

function directReport(account: string, i: number): DeliveryReport {
  return create(DeliveryReportSchema, {
    reportId: `${account}-d${String(i)}`,
    messageId: `${account}-d${String(i)}`,
    systemId: account,
  });
}

/** dlr_dispatcher_direct_waits_total of one outcome. */
async function waits(metrics: DispatcherMetrics, outcome: string): Promise<number> {
  return (await metrics.directWaits.get()).values.find((v) => v.labels['outcome'] === outcome)?.value ?? 0;
}

/** dlr_dispatcher_statuses_total of one outcome. */
async function statuses(metrics: DispatcherMetrics, outcome: string): Promise<number> {
  return (await metrics.statuses.get()).values.find((v) => v.labels['outcome'] === outcome)?.value ?? 0;
}

/**
 * A gated edge holding `account`'s receiver, a pusher that holds direct reports, and the account's
 * window (SESSION_WINDOW) filled with direct attempts the edge has not answered yet.
 */
async function fullWindow(
  account: string,
  directHold: NonNullable<DeliveryPusherOptions['directHold']>,
  extra: Partial<DeliveryPusherOptions> = {},
) {
  const edge = await startGatedEdge();
  await announce(account, edge.address);
  const metrics = testMetrics();
  const pusher = await startPusher({ directHold, ...extra }, metrics);
  await waitFor(`${account} pumped`, () => pusher.accounts.includes(account));
  const inWindow = Array.from({ length: SESSION_WINDOW }, (_, i) =>
    pusher.tryDeliver(directReport(account, i), undefined),
  );
  await waitFor('the window full at the edge', () => edge.pending === SESSION_WINDOW);
  return { edge, metrics, pusher, inWindow };
}

describe('DeliveryPusher: direct reports held for room', () => {
  it('delivers a held report when room comes', async () => {
    const { edge, metrics, pusher, inWindow } = await fullWindow('hold-room', {
      roomWaitMs: 10_000,
      maxHeld: 8,
    });
    const held = pusher.tryDeliver(directReport('hold-room', 9), undefined);
    await waitFor('held in the room queue', () => pusher.waitingForRoom('hold-room') === 1);
    expect((await metrics.directHeld.get()).values[0]?.value).toBe(1);
    expect(edge.received).toHaveLength(SESSION_WINDOW);
    edge.answer(1);
    await waitFor('the held report sent', () => edge.received.includes('hold-room-d9'));
    edge.answer(SESSION_WINDOW);
    expect(await Promise.all([...inWindow, held])).toEqual(Array(SESSION_WINDOW + 1).fill(true));
    expect(await waits(metrics, 'room')).toBe(1);
    expect((await metrics.directHeld.get()).values[0]?.value).toBe(0);
    expect((await metrics.directWaitSeconds.get()).values.some((v) => v.labels['outcome'] === 'room')).toBe(
      true,
    );
  });

  it('lets backlog reports that waited first go first', async () => {
    const { edge, pusher, inWindow } = await fullWindow(
      'hold-fifo',
      { roomWaitMs: 10_000, maxHeld: 8 },
      { roomWaitMs: 10_000 },
    );
    await backlog('hold-fifo', 0, 1);
    await waitFor('the backlog report waits for room', () => pusher.waitingForRoom('hold-fifo') === 1);
    const held = pusher.tryDeliver(directReport('hold-fifo', 9), undefined);
    await waitFor('held behind it', () => pusher.waitingForRoom('hold-fifo') === 2);
    edge.answer(1);
    await waitFor('one more sent', () => edge.received.length === SESSION_WINDOW + 1);
    expect(edge.received.at(-1)).toBe('hold-fifo-m0');
    edge.answer(1);
    await waitFor('the held one sent', () => edge.received.length === SESSION_WINDOW + 2);
    expect(edge.received.at(-1)).toBe('hold-fifo-d9');
    edge.answer(SESSION_WINDOW);
    expect(await Promise.all([...inWindow, held])).toEqual(Array(SESSION_WINDOW + 1).fill(true));
    await waitFor('the backlog acked', async () => (await stored('hold-fifo')) === 0);
  });

  it('lets a higher-priority report wait ahead of lower ones that came first', async () => {
    const { edge, pusher, inWindow } = await fullWindow(
      'hold-prio',
      { roomWaitMs: 10_000, maxHeld: 8 },
      { roomWaitMs: 10_000 },
    );
    await backlog('hold-prio', 0, 1);
    await waitFor('the backlog report waits for room', () => pusher.waitingForRoom('hold-prio') === 1);
    const low = pusher.tryDeliver(directReport('hold-prio', 8), undefined, 0);
    await waitFor('held behind it', () => pusher.waitingForRoom('hold-prio') === 2);
    const high = pusher.tryDeliver(directReport('hold-prio', 9), undefined, 3);
    await waitFor('held ahead of both', () => pusher.waitingForRoom('hold-prio') === 3);
    edge.answer(1);
    await waitFor('one more sent', () => edge.received.length === SESSION_WINDOW + 1);
    expect(edge.received.at(-1)).toBe('hold-prio-d9');
    edge.answer(1);
    await waitFor('the next sent', () => edge.received.length === SESSION_WINDOW + 2);
    expect(edge.received.at(-1)).toBe('hold-prio-m0');
    edge.answer(SESSION_WINDOW);
    await waitFor('the low one sent last', () => edge.received.at(-1) === 'hold-prio-d8');
    edge.answer(1);
    expect(await Promise.all([...inWindow, low, high])).toEqual(Array(SESSION_WINDOW + 2).fill(true));
    await waitFor('the backlog acked', async () => (await stored('hold-prio')) === 0);
  });

  it('holds at most its window of an account, then sends its reports to the backlog', async () => {
    const { edge, metrics, pusher, inWindow } = await fullWindow('hold-cap', {
      roomWaitMs: 10_000,
      maxHeld: 100,
    });
    // The window: no free slot, SESSION_WINDOW in flight.
    const held = Array.from({ length: SESSION_WINDOW }, (_, i) =>
      pusher.tryDeliver(directReport('hold-cap', 10 + i), undefined),
    );
    await waitFor('a window held', () => pusher.waitingForRoom('hold-cap') === SESSION_WINDOW);
    expect(await pusher.tryDeliver(directReport('hold-cap', 99), undefined)).toBe(false);
    expect(await waits(metrics, 'skipped_account_cap')).toBe(1);
    edge.answer(SESSION_WINDOW);
    await waitFor('the held ones sent', () => edge.pending === SESSION_WINDOW);
    edge.answer(SESSION_WINDOW);
    expect(await Promise.all([...inWindow, ...held])).toEqual(Array(2 * SESSION_WINDOW).fill(true));
    expect(await waits(metrics, 'room')).toBe(SESSION_WINDOW);
  });

  it('holds at most maxHeld reports in all', async () => {
    const { edge, metrics, pusher, inWindow } = await fullWindow('hold-total', {
      roomWaitMs: 10_000,
      maxHeld: 2,
    });
    const held = [10, 11].map((i) => pusher.tryDeliver(directReport('hold-total', i), undefined));
    await waitFor('two held', () => pusher.waitingForRoom('hold-total') === 2);
    expect(await pusher.tryDeliver(directReport('hold-total', 12), undefined)).toBe(false);
    expect(await waits(metrics, 'skipped_total_cap')).toBe(1);
    edge.answer(2);
    await waitFor('the held ones sent', () => edge.received.length === SESSION_WINDOW + 2);
    edge.answer(SESSION_WINDOW);
    expect(await Promise.all([...inWindow, ...held])).toEqual(Array(SESSION_WINDOW + 2).fill(true));
  });

  it('stores a status whose hold timed out in the backlog, and holds none of the slow account for a while', async () => {
    const { edge, metrics, pusher, inWindow } = await fullWindow('hold-slow', {
      roomWaitMs: 200,
      maxHeld: 8,
      slowMs: 60_000,
    });
    const { logger } = captureLogger();
    const worker = await startStatusWorker({
      js: topology.js,
      envelopes: topology.kv.envelopes,
      logger,
      metrics,
      retry: { minMs: 50, maxMs: 100 },
      maxEnvelopeAttempts: 2,
      direct: pusher,
      batchSize: 16,
      pullExpiresMs: 1_000,
      concurrency: 4,
    });
    stops.push(async () => {
      await worker.stopIntake();
      await worker.drained();
    });
    const publishStatus = async (id: string): Promise<void> => {
      const event = makeStatus(id, {
        systemId: 'hold-slow',
        envelope: makeEnvelope(id, { systemId: 'hold-slow' }),
      });
      await topology.js.publish(statusSubject('hold-slow'), toBinary(StatusEventSchema, event), {
        msgID: id,
      });
    };
    await publishStatus('slow-1');
    await waitFor('stored after its hold timed out', async () => (await statuses(metrics, 'stored')) === 1);
    expect(await waits(metrics, 'timeout')).toBe(1);
    // Slow now: the next goes straight to the backlog.
    await publishStatus('slow-2');
    await waitFor('the second stored', async () => (await statuses(metrics, 'stored')) === 2);
    expect(await waits(metrics, 'skipped_slow')).toBe(1);
    expect(await waits(metrics, 'timeout')).toBe(1);
    expect(await statuses(metrics, 'delivered')).toBe(0);
    // Room at last: the window and then the backlog are delivered.
    edge.answer(SESSION_WINDOW);
    expect(await Promise.all(inWindow)).toEqual(Array(SESSION_WINDOW).fill(true));
    await waitFor(
      'the backlog sent',
      () => edge.received.filter((id) => id.startsWith('slow-')).length === 2,
    );
    edge.answer(2);
    await waitFor('the backlog acked', async () => (await stored('hold-slow')) === 0);
  });

  it("releases held reports when the account's last receiver goes, and when the pusher stops", async () => {
    const { edge, metrics, pusher, inWindow } = await fullWindow('hold-stop', {
      roomWaitMs: 10_000,
      maxHeld: 8,
    });
    const held = [10, 11].map((i) => pusher.tryDeliver(directReport('hold-stop', i), undefined));
    await waitFor('two held', () => pusher.waitingForRoom('hold-stop') === 2);
    await topology.kv.presence.delete(presenceKey('hold-stop', 'edge-0'));
    expect(await Promise.all(held)).toEqual([false, false]);
    expect(await waits(metrics, 'released')).toBe(2);
    expect(await waits(metrics, 'timeout')).toBe(0);
    edge.answer(SESSION_WINDOW);
    expect(await Promise.all(inWindow)).toEqual(Array(SESSION_WINDOW).fill(true));

    // Bound again, window full again, one held: stopping the pusher lets it go at once.
    await announce('hold-stop', edge.address);
    await waitFor('hold-stop pumped', () => pusher.accounts.includes('hold-stop'));
    const again = Array.from({ length: SESSION_WINDOW }, (_, i) =>
      pusher.tryDeliver(directReport('hold-stop', 20 + i), undefined),
    );
    await waitFor('the window full at the edge', () => edge.pending === SESSION_WINDOW);
    const last = pusher.tryDeliver(directReport('hold-stop', 30), undefined);
    await waitFor('one held', () => pusher.waitingForRoom('hold-stop') === 1);
    const stopping = pusher.stop();
    expect(await last).toBe(false);
    expect(await waits(metrics, 'released')).toBe(3);
    edge.answer(SESSION_WINDOW);
    await stopping;
    await Promise.all(again);
  });
});
