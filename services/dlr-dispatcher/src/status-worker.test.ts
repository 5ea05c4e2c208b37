/**
 * The dispatcher end to end through a real NATS (one server for this file):
 * envelopes put as the router does, status events published on SMS_STATUS as
 * a connector does, turned into reports by the in-process worker, and read
 * back from SMS_DLR (by sequence, without a consumer: the stream is a WorkQueue).
 */
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  Header,
  StreamName,
  connectNats,
  dlrSubject,
  ensureTopology,
  envelopeKey,
  statusSubject,
} from '@smsgw/nats';
import {
  DeliveryReportSchema,
  MessageEnvelopeSchema,
  MessageState,
  StatusEventSchema,
  type DeliveryReport,
  type StatusEvent,
} from '@smsgw/proto';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  captureLogger,
  makeEnvelope,
  makeStatus,
  testMetrics,
  TRACEPARENT,
  waitFor,
  type LogLine,
} from './dispatcher.test-support.ts';
import type { DispatcherMetrics } from './metrics.ts';
import { startStatusWorker, type StatusWorker } from './status-worker.ts';

// Priority 0's cap; the total adds one for each priority backlog (ensureTopology below).
const BACKLOG_MAX = 3;
let server: NatsServerHandle;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let envelopes: KV;
/** Envelope keys the direct-get reader does not have yet. */
const notCaughtUp = new Set<string>();
let worker: StatusWorker;
let metrics: DispatcherMetrics;
let logLines: () => LogLine[];
let nextEvent = 1;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({ ...server.connectOptions, name: 'status-worker-test', waitOnFirstConnect: false });
  // The backlog cap is the topology's: a small one here shows the newest are kept.
  const topology = await ensureTopology(nc, { owner: 'all', dlrBacklogMax: BACKLOG_MAX + 3 });
  ({ js, jsm } = topology);
  envelopes = topology.kv.envelopes;
  metrics = testMetrics();
  const captured = captureLogger();
  logLines = captured.lines;
  // A replica that has not caught up on some keys (its node just rejoined): its direct gets miss them.
  const lagging = new Proxy(envelopes, {
    get(target, prop, receiver) {
      if (prop === 'get') {
        return (key: string) => (notCaughtUp.has(key) ? Promise.resolve(null) : target.get(key));
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  worker = await startStatusWorker({
    js,
    envelopes: lagging,
    envelopesFromLeader: envelopes,
    logger: captured.logger,
    metrics,
    retry: { minMs: 50, maxMs: 100 },
    maxEnvelopeAttempts: 2,
    batchSize: 16,
    pullExpiresMs: 1_000,
    concurrency: 4,
  });
}, 30_000);

afterAll(async () => {
  await worker.stopIntake();
  await worker.drained();
  await nc.close();
  await server.stop();
});

async function putEnvelope(messageId: string, account: string, registeredDelivery = 1): Promise<void> {
  const envelope = makeEnvelope(messageId, { systemId: account, registeredDelivery });
  await envelopes.put(envelopeKey(messageId), toBinary(MessageEnvelopeSchema, envelope));
}

/** Publishes a status event as a connector does (its own event id as Nats-Msg-Id). */
async function publishStatus(event: StatusEvent): Promise<void> {
  await js.publish(statusSubject(event.systemId), toBinary(StatusEventSchema, event), {
    msgID: `event-${nextEvent++}`,
  });
}

/** The reports in an account's backlog, oldest first, with their Nats-Msg-Id and traceparent. */
async function backlog(
  account: string,
): Promise<{ report: DeliveryReport; msgId: string; traceparent: string }[]> {
  const info = await jsm.streams.info(StreamName.dlr);
  const out = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await jsm.streams.getMessage(StreamName.dlr, { seq }).catch(() => null);
    if (m?.subject !== dlrSubject(account)) continue;
    out.push({
      report: fromBinary(DeliveryReportSchema, m.data),
      msgId: m.header.get(Header.msgId),
      traceparent: m.header.get(Header.traceparent),
    });
  }
  return out;
}

async function pendingStatuses(): Promise<number> {
  return (await jsm.streams.info(StreamName.status)).state.messages;
}

describe('status worker', () => {
  it('stores the report under the account subject, with report id and trace headers, and acks', async () => {
    await putEnvelope('1001', 'acme');
    await publishStatus(makeStatus('1001', { systemId: 'acme', messageState: MessageState.DELIVERED }));
    await waitFor('the report', async () => (await backlog('acme')).length === 1);
    const [stored] = await backlog('acme');
    expect(stored?.msgId).toBe('1001:2');
    expect(stored?.traceparent).toBe(TRACEPARENT);
    expect(stored?.report).toMatchObject({ reportId: '1001:2', systemId: 'acme', esmClass: 0x04 });
    await waitFor('the event acked', async () => (await pendingStatuses()) === 0);
  });

  it('stores one report when the same status arrives twice (dedupe on the report id)', async () => {
    await putEnvelope('2001', 'dup');
    await publishStatus(makeStatus('2001', { systemId: 'dup' }));
    await publishStatus(makeStatus('2001', { systemId: 'dup' }));
    await waitFor('both events settled', async () => (await pendingStatuses()) === 0);
    await waitFor(
      'a duplicate counted',
      async () => ((await metrics.duplicates.get()).values[0]?.value ?? 0) >= 1,
    );
    expect((await backlog('dup')).map((b) => b.msgId)).toEqual(['2001:2']);
  });

  it('acks without a report when registered_delivery asks for none', async () => {
    await putEnvelope('3001', 'quiet', 0);
    await publishStatus(makeStatus('3001', { systemId: 'quiet' }));
    await waitFor('the event acked', async () => (await pendingStatuses()) === 0);
    expect(await backlog('quiet')).toEqual([]);
  });

  it('reads an envelope a lagging replica does not have yet from the stream leader, and builds the report', async () => {
    notCaughtUp.add(envelopeKey('1501'));
    await putEnvelope('1501', 'lagging');
    await publishStatus(makeStatus('1501', { systemId: 'lagging', messageState: MessageState.DELIVERED }));
    await waitFor('the report', async () => (await backlog('lagging')).length === 1);
    expect((await metrics.envelopeLeaderReads.get()).values[0]?.value).toBe(1);
    expect((await metrics.envelopeMissing.get()).values[0]?.value ?? 0).toBe(0);
  });

  it('retries a status whose envelope is missing, then terminates it and counts it', async () => {
    await publishStatus(makeStatus('4001', { systemId: 'lost' }));
    await waitFor(
      'the event terminated',
      async () => (await metrics.envelopeMissing.get()).values[0]?.value === 1,
    );
    expect(await metrics.retried.get()).toMatchObject({
      values: [{ value: 1, labels: { step: 'envelope-missing' } }],
    });
    expect(
      logLines().some((l) => l.msg?.includes('envelope missing') === true && l['message_id'] === '4001'),
    ).toBe(true);
    await waitFor('the event gone', async () => (await pendingStatuses()) === 0);
    expect(await backlog('lost')).toEqual([]);
  });

  it('terminates an undecodable status event', async () => {
    await js.publish(statusSubject('junk'), Uint8Array.of(0xff, 0xff, 0xff), {
      msgID: `event-${nextEvent++}`,
    });
    await waitFor('poison counted', async () => (await metrics.poison.get()).values[0]?.value === 1);
    await waitFor('the event gone', async () => (await pendingStatuses()) === 0);
  });

  it('keeps the newest reports of an account past the backlog cap', async () => {
    const ids = ['5001', '5002', '5003', '5004', '5005'];
    for (const id of ids) {
      await putEnvelope(id, 'capped');
      await publishStatus(makeStatus(id, { systemId: 'capped' }));
      // One at a time, so the backlog order is the publish order.
      await waitFor(`report ${id}`, async () =>
        (await backlog('capped')).some((b) => b.report.messageId === id),
      );
    }
    expect((await backlog('capped')).map((b) => b.report.messageId)).toEqual(['5003', '5004', '5005']);
  });
});
