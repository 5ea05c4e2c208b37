/**
 * What the topology promises, checked against a real server (2.9 on this
 * machine): deduplication, the per-account DLR cap, per-account and per-lane
 * isolation, removal on ack only, and abandoned DLR consumers going away.
 */
import {
  AckPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, waitFor, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from './connect.ts';
import { ensureConnectorLanes, ensureDlrConsumer, ensureTopology } from './ensure-topology.ts';
import {
  ConsumerName,
  Header,
  StreamName,
  accountOfSubject,
  connectorLaneConsumerName,
  dlrConsumerName,
  dlrSubject,
  routeSubject,
  submitSubject,
} from './topology.ts';

const DLR_BACKLOG_MAX = 5;
let server: NatsServerHandle;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({
    ...server.connectOptions,
    name: 'topology-behaviour-test',
    waitOnFirstConnect: false,
  });
  // The total: DLR_BACKLOG_MAX for priority 0 plus 1 for each priority backlog.
  ({ js, jsm } = await ensureTopology(nc, { owner: 'all', dlrBacklogMax: DLR_BACKLOG_MAX + 3 }));
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

/** Pulls exactly `count` messages (the test knows how many are there), so nothing waits for a timeout. */
async function pull(stream: string, consumer: string, count: number): Promise<JsMsg[]> {
  const c = await js.consumers.get(stream, consumer);
  const out: JsMsg[] = [];
  for await (const m of await c.fetch({ max_messages: count, expires: 5_000 })) {
    out.push(m);
    if (out.length === count) break;
  }
  return out;
}

async function subjectCounts(stream: string): Promise<Record<string, number>> {
  const info = await jsm.streams.info(stream, { subjects_filter: '>' });
  return info.state.subjects ?? {};
}

/** Whether the server no longer has the consumer; any other error is the test's to see. */
async function consumerGone(stream: string, consumer: string): Promise<boolean> {
  try {
    await jsm.consumers.info(stream, consumer);
    return false;
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound) return true;
    throw err;
  }
}

describe('SMS_SUBMIT', () => {
  it('drops a repeated message id: the second PubAck says duplicate and the stream holds one', async () => {
    const h = headers();
    h.set(Header.traceparent, '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    const first = await js.publish(submitSubject('acme'), 'hello', { msgID: 'msg-1', headers: h });
    const second = await js.publish(submitSubject('acme'), 'hello', { msgID: 'msg-1', headers: h });
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
    expect((await jsm.streams.info(StreamName.submit)).state.messages).toBe(1);

    const [m] = await pull(StreamName.submit, ConsumerName.router, 1);
    expect(m?.headers?.get(Header.msgId)).toBe('msg-1');
    expect(m?.headers?.get(Header.traceparent)).toBe(h.get(Header.traceparent));
    expect(accountOfSubject(m?.subject ?? '')).toBe('acme');
    await m?.ackAck();
    expect((await jsm.streams.info(StreamName.submit)).state.messages).toBe(0);
  });

  it('has one reader: a second, overlapping consumer is refused (WorkQueue)', async () => {
    const err: unknown = await jsm.consumers
      .add(StreamName.submit, { durable_name: 'intruder', ack_policy: AckPolicy.Explicit })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JetStreamApiError);
  });
});

describe('SMS_ROUTE lanes', () => {
  it('hands each lane only its own connector and priority', async () => {
    await ensureConnectorLanes(jsm, 'sim', { owner: 'all' });
    await ensureConnectorLanes(jsm, 'smsc', { owner: 'all' });
    await js.publish(routeSubject('sim', 0), 'low');
    await js.publish(routeSubject('sim', 3), 'high');
    await js.publish(routeSubject('smsc', 3), 'other');
    const [m] = await pull(StreamName.route, connectorLaneConsumerName('sim', 3), 1);
    expect(m?.string()).toBe('high');
    await m?.ackAck();
    const lane = await (await js.consumers.get(StreamName.route, connectorLaneConsumerName('sim', 3))).info();
    expect(lane.num_pending).toBe(0);
    expect(await subjectCounts(StreamName.route)).toEqual({ 'sms.route.sim.0': 1, 'sms.route.smsc.3': 1 });
  });
});

describe('SMS_DLR backlog', () => {
  it('keeps the newest dlrBacklogMax DLRs per account, each account capped on its own', async () => {
    for (let i = 0; i < 8; i++) await js.publish(dlrSubject('acme'), `acme-${i}`, { msgID: `r-acme-${i}` });
    for (let i = 0; i < 3; i++)
      await js.publish(dlrSubject('glo.bex'), `globex-${i}`, { msgID: `r-globex-${i}` });
    expect(await subjectCounts(StreamName.dlr)).toEqual({ 'sms.dlr.acme': 5, 'sms.dlr.glo=2Ebex': 3 });
  });

  it('drops a repeated report id', async () => {
    const again = await js.publish(dlrSubject('glo.bex'), 'globex-2', { msgID: 'r-globex-2' });
    expect(again.duplicate).toBe(true);
    expect((await subjectCounts(StreamName.dlr))['sms.dlr.glo=2Ebex']).toBe(3);
  });

  it("gives an account's consumer only that account's DLRs, oldest kept first", async () => {
    await ensureDlrConsumer(jsm, 'acme', { owner: 'all' });
    const messages = await pull(StreamName.dlr, dlrConsumerName('acme'), DLR_BACKLOG_MAX);
    expect(messages.map((m) => m.string())).toEqual(['acme-3', 'acme-4', 'acme-5', 'acme-6', 'acme-7']);
    expect(messages.every((m) => accountOfSubject(m.subject) === 'acme')).toBe(true);
    const consumer = await (await js.consumers.get(StreamName.dlr, dlrConsumerName('acme'))).info();
    expect(consumer.num_pending).toBe(0);
    expect(consumer.num_ack_pending).toBe(DLR_BACKLOG_MAX);
    // Delivered is not removed: only the ack (after the customer's deliver_sm_resp) is.
    expect((await subjectCounts(StreamName.dlr))['sms.dlr.acme']).toBe(DLR_BACKLOG_MAX);
    for (const m of messages.slice(0, 2)) await m.ackAck();
    expect((await subjectCounts(StreamName.dlr))['sms.dlr.acme']).toBe(3);
    for (const m of messages.slice(2)) await m.ackAck();
    expect(await subjectCounts(StreamName.dlr)).toEqual({ 'sms.dlr.glo=2Ebex': 3 });
  });

  it('redelivers a nak-ed DLR instead of removing it', async () => {
    await ensureDlrConsumer(jsm, 'glo.bex', { owner: 'all' });
    const [first] = await pull(StreamName.dlr, dlrConsumerName('glo.bex'), 1);
    first?.nak();
    const again = await pull(StreamName.dlr, dlrConsumerName('glo.bex'), 3);
    expect(again.map((m) => m.string()).sort()).toEqual(['globex-0', 'globex-1', 'globex-2']);
    expect(again.find((m) => m.string() === first?.string())?.info.deliveryCount).toBe(2);
    expect((await subjectCounts(StreamName.dlr))['sms.dlr.glo=2Ebex']).toBe(3);
    for (const m of again) await m.ackAck();
    expect((await jsm.streams.info(StreamName.dlr)).state.messages).toBe(0);
  });

  it('deletes an abandoned DLR consumer after its inactive threshold, and keeps its DLRs', async () => {
    await ensureDlrConsumer(jsm, 'idle', { owner: 'all', dlrInactiveThresholdMs: 300 });
    await js.publish(dlrSubject('idle'), 'waiting', { msgID: 'r-idle-0' });
    // Asked by name: a consumer list taken while the server deletes one may hold a null entry.
    await waitFor('the idle DLR consumer to be deleted', () =>
      consumerGone(StreamName.dlr, dlrConsumerName('idle')),
    );
    expect(await subjectCounts(StreamName.dlr)).toEqual({ 'sms.dlr.idle': 1 });
    // A receiver binds again: a new consumer finds the backlog.
    await ensureDlrConsumer(jsm, 'idle', { owner: 'all' });
    const [m] = await pull(StreamName.dlr, dlrConsumerName('idle'), 1);
    expect(m?.string()).toBe('waiting');
    await m?.ackAck();
  });
});
