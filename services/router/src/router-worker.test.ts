/**
 * The router end to end through a real NATS (one server for this file): submits
 * published on SMS_SUBMIT as an edge does, routed by the in-process worker, and
 * read back from SMS_ROUTE and the envelopes bucket.
 */
import { equals, fromBinary, toBinary } from '@bufbuild/protobuf';
import { AckPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { headers, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { AccountCache, AccountStore } from '@smsgw/accounts';
import {
  ConsumerName,
  Header,
  StreamName,
  connectNats,
  envelopeKey,
  ensureTopology,
  parseRouteSubject,
  submitSubject,
} from '@smsgw/nats';
import {
  RoutedMessageSchema,
  SubmitAcceptedSchema,
  type RoutedMessage,
  type SubmitAccepted,
} from '@smsgw/proto';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouterMetrics } from './metrics.ts';
import {
  accountInput,
  captureLogger,
  makeSubmit,
  testMetrics,
  TRACEPARENT,
  waitFor,
  type LogLine,
} from './router.test-support.ts';
import { startRouterWorker, type RouterWorker } from './router-worker.ts';

const READER = 'test-route-reader';
let server: NatsServerHandle;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let envelopes: KV;
let store: AccountStore;
let cache: AccountCache;
let worker: RouterWorker;
let metrics: RouterMetrics;
let logLines: () => LogLine[];
let nextId = 1_000_000;

/** A fresh message id per submit, so that tests never collide in the duplicate window. */
const newId = (): string => String(nextId++);

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({ ...server.connectOptions, name: 'router-worker-test', waitOnFirstConnect: false });
  const topology = await ensureTopology(nc, { owner: 'all' });
  ({ js, jsm } = topology);
  envelopes = topology.kv.envelopes;
  // One unfiltered reader of SMS_ROUTE (no lane consumers exist here, so it overlaps none).
  await jsm.consumers.add(StreamName.route, { durable_name: READER, ack_policy: AckPolicy.Explicit });

  store = new AccountStore(topology.kv.accounts);
  await store.put(
    await accountInput('acme', {
      approvedPriorities: [1, 2],
      messageClasses: ['standard', 'bulk', 'premium'],
      priorityRules: [
        { match: { messageClass: 'bulk' }, priority: 0 },
        { match: { destinationPrefix: '4470' }, priority: 1 },
      ],
      routes: [
        { destinationPrefix: '45', connector: 'dk' },
        { destinationPrefix: '4412', connector: 'uk' },
        { destinationPrefix: '44', connector: 'uk-bulk' },
      ],
    }),
  );
  await store.put(await accountInput('none', { approvedPriorities: [] }));
  await store.put(await accountInput('vip', { approvedPriorities: [0, 1, 2, 3] }));
  cache = new AccountCache(topology.kv.accounts);
  await cache.start();

  const captured = captureLogger();
  logLines = captured.lines;
  metrics = testMetrics();
  worker = await startRouterWorker({
    js,
    accounts: cache,
    logger: captured.logger,
    metrics,
    retry: { minMs: 100, maxMs: 1_000 },
    batchSize: 32,
    concurrency: 8,
    pullExpiresMs: 1_000,
  });
});

afterAll(async () => {
  await worker.stopIntake();
  await worker.drained();
  await cache.close();
  await nc.close();
  await server.stop();
});

/** Publishes a submit on SMS_SUBMIT as the edge does (Nats-Msg-Id = message id unless told otherwise). */
async function publishSubmit(
  submit: SubmitAccepted,
  options: { msgID?: string; headers?: MsgHdrs } = {},
): Promise<void> {
  await js.publish(submitSubject(submit.systemId), toBinary(SubmitAcceptedSchema, submit), {
    msgID: options.msgID ?? submit.messageId,
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  });
}

interface Routed {
  readonly subject: string;
  readonly connector: string;
  readonly priority: number;
  readonly message: RoutedMessage;
  readonly headers: MsgHdrs | undefined;
}

/** Reads (and removes) exactly `count` routed messages from SMS_ROUTE, by message id. */
async function takeRouted(count: number): Promise<Map<string, Routed>> {
  const reader = await js.consumers.get(StreamName.route, READER);
  const out = new Map<string, Routed>();
  const deadline = Date.now() + 10_000;
  while (out.size < count && Date.now() < deadline) {
    const batch = await reader.fetch({ max_messages: count - out.size, expires: 1_000 });
    for await (const m of batch) {
      const message = fromBinary(RoutedMessageSchema, m.data);
      const id = message.submit?.messageId ?? '';
      expect(out.has(id), `message ${id} routed twice`).toBe(false);
      out.set(id, { subject: m.subject, ...parseRouteSubject(m.subject), message, headers: m.headers });
      await m.ackAck();
    }
  }
  expect(out.size).toBe(count);
  return out;
}

async function streamMessages(stream: string): Promise<number> {
  return (await jsm.streams.info(stream)).state.messages;
}

/** Waits until the router has settled everything published so far. */
async function submitsSettled(): Promise<void> {
  await waitFor('SMS_SUBMIT to empty', async () => {
    const info = await jsm.consumers.info(StreamName.submit, ConsumerName.router);
    return (await streamMessages(StreamName.submit)) === 0 && info.num_ack_pending === 0;
  });
}

function destination(addr: string): SubmitAccepted['destination'] {
  return { ton: 1, npi: 1, addr, $typeName: 'smsgw.v1.Address' };
}

describe('priority overwrite and routing, through NATS', () => {
  it('lands every submit in the lane its account rules choose', async () => {
    const cases = [
      // account, requested, class, destination → connector, lane
      ['acme', 3, undefined, '4512345678', 'dk', 2], // approved 1 and 2 sends 3 → 2
      ['acme', 2, undefined, '4512345678', 'dk', 2],
      ['acme', 1, 'standard', '4512345678', 'dk', 1],
      ['acme', 0, undefined, '4512345678', 'dk', 0],
      ['acme', 3, 'bulk', '4512345678', 'dk', 0], // overwrite rule by message class
      ['acme', 3, 'standard', '447012345678', 'uk-bulk', 1], // overwrite rule by destination prefix
      ['acme', 3, 'bulk', '447012345678', 'uk-bulk', 0], // the first matching rule decides
      ['acme', 3, 'premium', '441234567890', 'uk', 2], // longest route prefix
      ['acme', 2, 'premium', '4612345678', 'sim', 2], // no route: sim
      ['none', 3, undefined, '4512345678', 'sim', 0], // approved for none → 0
      ['vip', 3, undefined, '4512345678', 'sim', 3],
      ['vip', 1, undefined, '4512345678', 'sim', 1],
      ['ghost', 3, undefined, '4512345678', 'sim', 0], // unknown account: defaults
    ] as const;
    const ids = cases.map(() => newId());
    for (const [i, [systemId, priorityFlag, messageClass, addr]] of cases.entries()) {
      await publishSubmit(
        makeSubmit(ids[i] ?? '', {
          systemId,
          priorityFlag,
          destination: destination(addr),
          ...(messageClass === undefined ? {} : { messageClass }),
        }),
      );
    }
    const routed = await takeRouted(cases.length);
    for (const [i, [systemId, priorityFlag, , , connector, lane]] of cases.entries()) {
      const r = routed.get(ids[i] ?? '');
      expect({ i, systemId, priorityFlag, connector: r?.connector, lane: r?.priority }).toEqual({
        i,
        systemId,
        priorityFlag,
        connector,
        lane,
      });
      expect(r?.message.priorityFlag).toBe(lane);
      expect(r?.message.connector).toBe(connector);
      expect(r?.message.submit?.priorityFlag).toBe(priorityFlag);
    }
    await submitsSettled();

    const warning = logLines().find(
      (l) => l.msg === 'unknown account: routing the submit with the default rules',
    );
    expect(warning).toMatchObject({ level: 'warn', system_id: 'ghost', message_id: ids.at(-1) });
    expect(await metrics.unknownAccount.get()).toMatchObject({ values: [{ value: 1 }] });
  });

  it('applies an account change without a restart', async () => {
    await store.update('none', { approvedPriorities: [3] });
    await waitFor(
      'the cache to see the change',
      () => cache.get('none')?.approvedPriorities.includes(3) === true,
    );
    const id = newId();
    await publishSubmit(makeSubmit(id, { systemId: 'none', priorityFlag: 3 }));
    const r = (await takeRouted(1)).get(id);
    expect([r?.connector, r?.priority]).toEqual(['sim', 3]);
  });
});

describe('what the router stores and publishes', () => {
  it('publishes the submit unchanged and stores no envelope', async () => {
    const id = newId();
    const submit = makeSubmit(id, {
      systemId: 'acme',
      priorityFlag: 2,
      registeredDelivery: 0x11,
      dataCoding: 8,
      segments: 3,
      userMessageReference: Uint8Array.of(0x12, 0x34),
      traceparent: TRACEPARENT,
      tracestate: 'vendor=abc',
    });
    await publishSubmit(submit);
    const r = (await takeRouted(1)).get(id);
    expect(r?.message.submit && equals(SubmitAcceptedSchema, r.message.submit, submit)).toBe(true);
    expect(r?.message.routeId).toBe('acme:45');
    expect(r?.message.routedAt).toBeDefined();

    // Nothing else is stored: no envelope in KV (the connector carries it on the status events).
    expect(await envelopes.get(envelopeKey(id))).toBeNull();
  });

  it('publishes with Nats-Msg-Id = message id and carries the trace headers through', async () => {
    const id = newId();
    const h = headers();
    h.set(Header.traceparent, TRACEPARENT);
    h.set(Header.tracestate, 'vendor=abc');
    await publishSubmit(makeSubmit(id, { systemId: 'vip' }), { headers: h });
    const r = (await takeRouted(1)).get(id);
    expect(r?.headers?.get(Header.msgId)).toBe(id);
    expect(r?.headers?.get(Header.traceparent)).toBe(TRACEPARENT);
    expect(r?.headers?.get(Header.tracestate)).toBe('vendor=abc');
  });
});

describe('poison and duplicates', () => {
  it('terminates a submit that cannot be decoded or routed, logs it, counts it, and routes nothing', async () => {
    const before = await streamMessages(StreamName.route);
    await js.publish(submitSubject('acme'), Uint8Array.of(0xff, 0xff, 0xff), { msgID: newId() });
    await js.publish(submitSubject('acme'), toBinary(SubmitAcceptedSchema, makeSubmit('')), {
      msgID: newId(),
    });
    await submitsSettled();
    expect(await streamMessages(StreamName.route)).toBe(before);
    expect(await metrics.poison.get()).toMatchObject({ values: [{ value: 2 }] });
    const poison = logLines().filter((l) => l.msg === 'poison submit: cannot be routed, terminating it');
    expect(poison).toHaveLength(2);
    expect(poison[0]).toMatchObject({ level: 'error', data_base64: '////', size: 3 });
    const info = await jsm.consumers.info(StreamName.submit, ConsumerName.router);
    expect(info.num_redelivered).toBe(0);
  });

  it('routes the same submit delivered twice only once', async () => {
    const id = newId();
    const submit = makeSubmit(id, { systemId: 'vip', priorityFlag: 2 });
    // Two copies in SMS_SUBMIT (as after an edge retry outside its duplicate window).
    await publishSubmit(submit, { msgID: `${id}-a` });
    await publishSubmit(submit, { msgID: `${id}-b` });
    await submitsSettled();
    expect(await streamMessages(StreamName.route)).toBe(1);
    const r = await takeRouted(1);
    expect(r.get(id)?.priority).toBe(2);
    expect((await metrics.duplicates.get()).values[0]?.value).toBeGreaterThanOrEqual(1);
  });
});

describe('shutdown', () => {
  it('keeps pulling while idle: expired pull requests are routine, not failures', async () => {
    // Twice the pull expiry with nothing to route.
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    const id = newId();
    await publishSubmit(makeSubmit(id, { systemId: 'vip' }));
    expect((await takeRouted(1)).has(id)).toBe(true);
    expect(logLines().filter((l) => l.level === 'error' && !String(l.msg).startsWith('poison'))).toEqual([]);
    expect(logLines().filter((l) => l.msg === 'router consumer notification')).toEqual([]);
  });

  it('stops pulling on stopIntake and settles what it had', async () => {
    const ids = Array.from({ length: 50 }, () => newId());
    await Promise.all(ids.map((id) => publishSubmit(makeSubmit(id, { systemId: 'vip' }))));
    await worker.stopIntake();
    await worker.drained();
    expect(worker.inFlight).toBe(0);
    // Whatever was delivered was settled: routed and acked (acks reach the server a moment later), and
    // nothing is left waiting for ack_wait (30 s here) before another replica may have it.
    await waitFor(
      'the last acks',
      async () => (await jsm.consumers.info(StreamName.submit, ConsumerName.router)).num_ack_pending === 0,
      2_000,
    );
    const routedCount = await streamMessages(StreamName.route);
    expect(routedCount + (await streamMessages(StreamName.submit))).toBe(ids.length);
    await takeRouted(routedCount);
  });
});
