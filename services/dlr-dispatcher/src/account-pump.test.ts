/**
 * AccountPump against a real backlog (SMS_DLR and its per-account consumers):
 * it never has more reports in hand than twice the account's window, every
 * report it pushes is acked once delivered, an account without window takes
 * nothing, and stop() gives what it had prefetched back at once. The edge side
 * is scripted (routing whose link answers DELIVERED a few ms later): the real
 * one is in delivery-pusher.test.ts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { create, toBinary } from '@bufbuild/protobuf';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  StreamName,
  connectNats,
  dlrConsumerName,
  dlrSubject,
  ensureDlrConsumer,
  ensureTopology,
  type EnsureTopologyOptions,
  type Topology,
} from '@smsgw/nats';
import { DeliverOutcome, DeliveryReportSchema } from '@smsgw/proto';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountPump } from './account-pump.ts';
import { captureLogger, testMetrics, waitFor } from './dispatcher.test-support.ts';
import type { EdgeLink, LinkOutcome } from './edge-link.ts';
import type { DeliveryRouting, Route } from './push-report.ts';

const options: EnsureTopologyOptions = { owner: 'all' };
let server: NatsServerHandle;
let nc: NatsConnection;
let topology: Topology;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({ ...server.connectOptions, name: 'account-pump-test', waitOnFirstConnect: false });
  topology = await ensureTopology(nc, options);
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

async function backlog(account: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
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

async function stored(account: string): Promise<number> {
  const info = await topology.jsm.streams.info(StreamName.dlr, { subjects_filter: dlrSubject(account) });
  return info.state.subjects?.[dlrSubject(account)] ?? 0;
}

/** Routing to one pod with unbounded room, whose link answers DELIVERED 5 ms later; counts what is outstanding. */
function scriptedRouting(): DeliveryRouting & {
  delivered: number;
  outstanding: number;
  maxOutstanding: number;
} {
  let id = 0n;
  const r = {
    delivered: 0,
    outstanding: 0,
    maxOutstanding: 0,
    acquire(account: string): Route {
      return { pod: 'edge-0', address: 'edge-0:9091', account, link, deliveryId: ++id };
    },
    release: () => undefined,
    waitForRoom: () => Promise.resolve(true),
  };
  const link = {
    deliver: async (): Promise<LinkOutcome> => {
      r.outstanding++;
      r.maxOutstanding = Math.max(r.maxOutstanding, r.outstanding);
      await sleep(5);
      r.outstanding--;
      r.delivered++;
      return { kind: 'result', outcome: DeliverOutcome.DELIVERED, commandStatus: 0, sessionId: 's1' };
    },
  } as unknown as EdgeLink;
  return r;
}

function startPump(account: string, routing: DeliveryRouting, window: () => number): AccountPump {
  return new AccountPump({
    account,
    js: topology.js,
    ensureConsumer: async (jsm: JetStreamManager, a, priority) =>
      (await ensureDlrConsumer(jsm, a, options, priority)).name,
    window,
    changed: (ms) => sleep(Math.min(ms, 20)),
    batchSize: 8,
    pullExpiresMs: 1_000,
    restartDelayMs: 100,
    routing,
    metrics: testMetrics(),
    logger: captureLogger().logger,
    maxAttempts: 2,
    retry: { minMs: 100, maxMs: 500 },
    roomWaitMs: 1_000,
  });
}

describe('AccountPump', () => {
  it('keeps at most twice the window in hand, and acks every report it delivers', async () => {
    await backlog('acme', 30);
    const routing = scriptedRouting();
    const pump = startPump('acme', routing, () => 3);
    try {
      await waitFor('all 30 delivered', () => routing.delivered === 30);
      expect(routing.maxOutstanding).toBeGreaterThan(0);
      expect(routing.maxOutstanding).toBeLessThanOrEqual(6);
      await waitFor('the backlog acked', async () => (await stored('acme')) === 0);
    } finally {
      await pump.stop();
    }
    expect(pump.inFlight).toBe(0);
  });

  // A nak'ed message stays in the consumer's num_ack_pending until it is delivered again (nats-server
  // keeps it pending, queued for redelivery): "given back" shows as the next pull getting it at once,
  // not after the ack wait (DLR_ACCOUNT_ACK_WAIT, 60 s, here as in production).
  it('takes nothing while the account has no window, and stop() gives the prefetched reports back at once', async () => {
    await backlog('globex', 10);
    const routing = scriptedRouting();
    const pump = startPump('globex', routing, () => 0);
    const consumer = dlrConsumerName('globex');
    // The lanes prefetch: wait until the server has handed some over.
    const ackPending = async (): Promise<number> => {
      try {
        return (await topology.jsm.consumers.info(StreamName.dlr, consumer)).num_ack_pending;
      } catch {
        return 0; // the pump has not made its consumer yet
      }
    };
    await waitFor('reports prefetched', async () => (await ackPending()) > 0);
    await pump.stop();
    expect(routing.delivered).toBe(0);
    // All ten come to the next pull at once: the prefetched ones were nak'ed, not left to the ack wait.
    const next = await topology.js.consumers.get(StreamName.dlr, consumer);
    const pull = await next.fetch({ max_messages: 10, expires: 5_000 });
    let got = 0;
    for await (const m of pull) {
      got++;
      m.nak();
    }
    expect(got).toBe(10);
    expect(await stored('globex')).toBe(10);
  });
});
