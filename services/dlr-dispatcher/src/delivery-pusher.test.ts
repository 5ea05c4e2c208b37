/**
 * DeliveryPusher (with its AccountPumps and a PresenceView) against a real
 * NATS and a real EdgeDelivery gRPC server standing in for an edge pod: an
 * account's backlog goes to the pod that holds its receiver, never more at
 * once than the window the pod is known to have (the DLR pacing), every
 * report acked once delivered; a pump stops with the account's last receiver
 * and its backlog waits, stored, for the next; direct delivery bypasses the
 * backlog only when the account has a receiver with room.
 */
import { create, toBinary } from '@bufbuild/protobuf';
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
  type EnsureTopologyOptions,
  type Topology,
} from '@smsgw/nats';
import {
  DeliverOutcome,
  DeliverResponseSchema,
  DeliveryReportSchema,
  type DeliverRequest,
} from '@smsgw/proto';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryPusher } from './delivery-pusher.ts';
import { captureLogger, startTestEdge, testMetrics, waitFor } from './dispatcher.test-support.ts';
import { PresenceView } from './presence-view.ts';

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

async function startPusher(): Promise<DeliveryPusher> {
  const { logger } = captureLogger();
  const presence = new PresenceView({ kv: topology.kv.presence, ttlMs: 60_000, logger });
  await presence.start();
  const pusher = new DeliveryPusher({
    js: topology.js,
    presence,
    ensureConsumer: async (jsm: JetStreamManager, account, priority) =>
      (await ensureDlrConsumer(jsm, account, options, priority)).name,
    metrics: testMetrics(),
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
