/**
 * One message's whole life as one trace, in-process with an in-memory span
 * exporter: the edge's submit spans (submit-tracing.ts, as edge.ts calls it),
 * the real router, sim connector and dlr-dispatcher workers, and the real
 * Edge with its EdgeDelivery server handing the DLR to a bound SMPP receiver,
 * all over one real NATS. Checks the parent/child order of every span across
 * the services (told apart by their tracers' instrumentation scope), their
 * attributes, and that log lines written inside a span carry its trace_id.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { headers } from '@nats-io/transport-node';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AccountCache } from '@smsgw/accounts';
import {
  createConnectorMetrics,
  createSimDriver,
  startConnectorWorker,
  type ConnectorWorker,
} from '@smsgw/connector';
import {
  createDispatcherMetrics,
  loadDispatcherConfig,
  startPusher,
  startStatusWorker,
  type Pusher,
  type StatusWorker,
} from '@smsgw/dlr-dispatcher';
import { DeliveryServer, createDeliveryMetrics } from '@smsgw/edge';
import { Header, submitSubject, type EnsureTopologyOptions } from '@smsgw/nats';
import { SubmitAcceptedSchema } from '@smsgw/proto';
import { createRouterMetrics, startRouterWorker, type RouterWorker } from '@smsgw/router';
import { createMetrics } from '@smsgw/runtime';
import { CommandStatus, createPdu, type DeliverSm, type SmppSession } from '@smsgw/smpp';
import {
  startTestTracing,
  parentSpanIdOf,
  type ReadableSpan,
  type TestTracing,
} from '@smsgw/telemetry/testing';
import { captureLogger, waitFor } from '@smsgw/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Presence } from '../services/edge/src/delivery/presence.ts';
import { SubmitTracing } from '../services/edge/src/submit/submit-tracing.ts';
import {
  accountInput,
  bindClient,
  startEdge,
  startNatsFixture,
  testLogger,
  type EdgeFixture,
  type NatsFixture,
} from '../services/edge/src/edge.test-support.ts';

const ACCOUNT = 'acme';
const MESSAGE_ID = 'trace-1';
const topologyOptions: EnsureTopologyOptions = { owner: 'all', connectors: ['sim'] };

let tracing: TestTracing;
let nats: NatsFixture;
let edge: EdgeFixture;
let delivery: DeliveryServer;
let accounts: AccountCache;
let router: RouterWorker;
let connector: ConnectorWorker;
let statuses: StatusWorker;
let pusher: Pusher;
let receiver: SmppSession;
const received: DeliverSm[] = [];
const routerLog = captureLogger({ service: 'router', level: 'debug' });

beforeAll(async () => {
  tracing = startTestTracing();
  nats = await startNatsFixture(topologyOptions);
  await nats.store.create(accountInput(ACCOUNT, { maxBinds: 5 }));
  const logger = testLogger();
  const metrics = (service: string) => createMetrics({ service, defaultMetrics: false });
  const { topology } = nats;

  // The edge: its EdgeDelivery server first (presence announces its port), then the SMPP side.
  delivery = new DeliveryServer({
    receivers: { boundSessionsOf: (systemId) => edge.edge.boundSessionsOf(systemId) },
    metrics: createDeliveryMetrics(metrics('edge')),
    logger,
    responseTimeoutMs: 2_000,
  });
  const grpcPort = await delivery.listen(0, '127.0.0.1');
  const presence = new Presence({
    kv: topology.kv.presence,
    pod: 'edge-trace',
    grpcAddress: `127.0.0.1:${String(grpcPort)}`,
    ttlMs: topology.options.presenceTtlMs,
    logger,
  });
  edge = await startEdge(nats, { presence });

  accounts = new AccountCache(topology.kv.accounts);
  await accounts.start();
  router = await startRouterWorker({
    js: topology.js,
    accounts,
    logger: routerLog.logger,
    metrics: createRouterMetrics(metrics('router')),
    retry: { minMs: 100, maxMs: 1_000 },
    batchSize: 16,
    pullExpiresMs: 1_000,
    concurrency: 4,
  });
  connector = await startConnectorWorker({
    js: topology.js,
    connector: 'sim',
    driver: createSimDriver({ latency: { minMs: 0, maxMs: 0 } }),
    logger,
    metrics: createConnectorMetrics(metrics('connector')),
    maxInFlight: 4,
    pullExpiresMs: 1_000,
    ackWaitMs: 10_000,
    retry: { minMs: 100, maxMs: 1_000 },
  });
  const dispatcherMetrics = createDispatcherMetrics(metrics('dlr-dispatcher'));
  statuses = await startStatusWorker({
    js: topology.js,
    envelopes: topology.kv.envelopes,
    logger,
    metrics: dispatcherMetrics,
    retry: { minMs: 100, maxMs: 1_000 },
    maxEnvelopeAttempts: 5,
    batchSize: 16,
    pullExpiresMs: 1_000,
    concurrency: 4,
  });
  pusher = await startPusher({
    config: loadDispatcherConfig({ DLR_PUSH_PULL_EXPIRES: '1s', DLR_PUSH_TIMEOUT: '5s' }),
    topology,
    topologyOptions,
    metrics: dispatcherMetrics,
    logger,
  });

  receiver = await bindClient(edge.port, 'receiver', ACCOUNT);
  receiver.on('request', (pdu) => {
    if (pdu.command !== 'deliver_sm') return;
    received.push(pdu);
    receiver.reply(pdu, CommandStatus.ESME_ROK);
  });
});

afterAll(async () => {
  receiver.close();
  await pusher.pusher.stop();
  await pusher.presence.close();
  await statuses.stopIntake();
  await router.stopIntake();
  connector.stopIntake();
  await Promise.all([statuses.drained(), router.drained(), connector.drain()]);
  await accounts.close();
  delivery.close();
  await edge.stop();
  await nats.stop();
  await tracing.stop();
});

/** Submits as the edge does once edge.ts calls submit-tracing.ts: spans, then the SubmitAccepted with their context. */
async function submitLikeTheEdge(): Promise<void> {
  const pdu = createPdu('submit_sm', {
    sequenceNumber: 42,
    sourceAddr: 'smsgw',
    destAddrTon: 1,
    destinationAddr: '4512345670',
    registeredDelivery: 1,
    dataCoding: 0,
    shortMessage: Buffer.from('Hello'),
  });
  const subject = submitSubject(ACCOUNT);
  const traced = new SubmitTracing(true).start({
    pdu,
    systemId: ACCOUNT,
    sessionId: 's1',
    messageId: MESSAGE_ID,
    segments: 1,
    subject,
  });
  const accepted = create(SubmitAcceptedSchema, {
    messageId: MESSAGE_ID,
    systemId: ACCOUNT,
    edgePod: 'edge-trace',
    sessionId: 's1',
    source: { ton: 0, npi: 0, addr: 'smsgw' },
    destination: { ton: 1, npi: 0, addr: '4512345670' },
    registeredDelivery: 1,
    payload: Buffer.from('Hello'),
    segments: 1,
    acceptedAt: timestampNow(),
    traceparent: traced.traceparent,
  });
  const h = headers();
  h.set(Header.traceparent, traced.traceparent);
  await nats.topology.js.publish(subject, toBinary(SubmitAcceptedSchema, accepted), {
    msgID: MESSAGE_ID,
    headers: h,
  });
  traced.end(CommandStatus.ESME_ROK);
}

/** The one span named `name` of `scope`'s tracer. */
function only(spans: readonly ReadableSpan[], scope: string, name: string, kind: SpanKind): ReadableSpan {
  const found = spans.filter(
    (s) => s.instrumentationScope.name === scope && s.name === name && s.kind === kind,
  );
  expect(
    found.map((s) => `${s.instrumentationScope.name} ${s.name}`),
    `${scope} ${name}`,
  ).toHaveLength(1);
  return found[0] as ReadableSpan;
}

it('follows one message from submit_sm to the deliver_sm of its DLR as one trace, service by service', async () => {
  await submitLikeTheEdge();
  await waitFor('the DLR at the receiver', () => received.length === 1, 20_000);
  // The dispatcher's span of the push ends last: after the edge's result came back over the stream.
  await waitFor(
    'every span ended',
    () => tracing.spans().some((s) => s.name === 'process sms.dlr.{account}'),
    5_000,
  );
  const spans = tracing.spans();
  const submitSm = only(spans, '@smsgw/edge', 'submit_sm', SpanKind.SERVER);
  const traceId = submitSm.spanContext().traceId;
  expect(
    spans.every((s) => s.spanContext().traceId === traceId),
    'every span in one trace',
  ).toBe(true);

  // The chain, each span the child of the one before it.
  const chain = [
    submitSm,
    only(spans, '@smsgw/edge', 'publish sms.submit.{account}', SpanKind.PRODUCER),
    only(spans, '@smsgw/router', 'process sms.submit.{account}', SpanKind.CONSUMER),
    only(spans, '@smsgw/router', 'publish sms.route.sim.0', SpanKind.PRODUCER),
    only(spans, '@smsgw/connector', 'process sms.route.sim.0', SpanKind.CONSUMER),
    only(spans, '@smsgw/connector', 'publish sms.status.{account}', SpanKind.PRODUCER),
    only(spans, '@smsgw/dlr-dispatcher', 'process sms.status.{account}', SpanKind.CONSUMER),
    only(spans, '@smsgw/dlr-dispatcher', 'publish sms.dlr.{account}', SpanKind.PRODUCER),
    only(spans, '@smsgw/dlr-dispatcher', 'process sms.dlr.{account}', SpanKind.CONSUMER),
    only(spans, '@smsgw/dlr-dispatcher', 'smsgw.v1.EdgeDelivery/Deliver', SpanKind.CLIENT),
    only(spans, '@smsgw/edge', 'smsgw.v1.EdgeDelivery/Deliver', SpanKind.SERVER),
    only(spans, '@smsgw/edge', 'deliver_sm', SpanKind.CLIENT),
  ];
  expect(parentSpanIdOf(submitSm)).toBe('');
  for (let i = 1; i < chain.length; i++) {
    const child = chain[i] as ReadableSpan;
    const parent = chain[i - 1] as ReadableSpan;
    expect(parentSpanIdOf(child), `${child.name} is a child of ${parent.name}`).toBe(
      parent.spanContext().spanId,
    );
  }
  expect(spans).toHaveLength(chain.length);
  for (const span of chain) expect(span.status.code, span.name).not.toBe(SpanStatusCode.ERROR);

  const [, published, routing, , connecting, status, handling, dlr, pushing, client, server, deliverSm] =
    chain;
  expect(submitSm.attributes).toMatchObject({
    'smpp.command': 'submit_sm',
    'smpp.system_id': ACCOUNT,
    'smpp.sequence_number': 42,
    'smpp.message_id': MESSAGE_ID,
    'smpp.data_coding': 0,
    'smpp.segments': 1,
    'smpp.command_status': 'ESME_ROK',
  });
  expect(published?.attributes).toMatchObject({
    'messaging.system': 'nats',
    'messaging.destination.name': 'sms.submit.acme',
    'messaging.message.id': MESSAGE_ID,
  });
  expect(routing?.attributes).toMatchObject({
    'messaging.consumer.group.name': 'router',
    'messaging.destination.name': 'sms.submit.acme',
    'smpp.message_id': MESSAGE_ID,
    'smsgw.priority.requested': 0,
    'smsgw.priority.effective': 0,
    'smsgw.route': 'default',
    'smsgw.connector': 'sim',
    'smsgw.outcome': 'routed',
  });
  expect(connecting?.attributes).toMatchObject({
    'smsgw.outcome': 'handed_over',
    'smpp.message_state': 'DELIVERED',
    'messaging.consumer.group.name': 'connector-sim-p0',
  });
  expect(status?.attributes).toMatchObject({ 'smpp.message_state': 'DELIVERED' });
  expect(handling?.attributes).toMatchObject({
    'smsgw.outcome': 'stored',
    'smpp.message_state': 'DELIVERED',
  });
  expect(dlr?.attributes).toMatchObject({ 'messaging.destination.name': 'sms.dlr.acme' });
  expect(pushing?.attributes).toMatchObject({ 'smsgw.outcome': 'delivered', 'smpp.system_id': ACCOUNT });
  expect(client?.attributes).toMatchObject({
    'rpc.system.name': 'grpc',
    'rpc.method': 'smsgw.v1.EdgeDelivery/Deliver',
    'server.address': '127.0.0.1',
    'smsgw.edge.pod': 'edge-trace',
    'smsgw.dlr.attempt': 1,
    'smpp.command_status': 'ESME_ROK',
  });
  expect(server?.attributes).toMatchObject({ 'smsgw.outcome': 'delivered', 'smpp.message_id': MESSAGE_ID });
  expect(deliverSm?.attributes).toMatchObject({
    'smpp.command': 'deliver_sm',
    'smpp.command_status': 'ESME_ROK',
    'smpp.message_id': MESSAGE_ID,
    'smpp.sequence_number': received[0]?.sequenceNumber,
  });

  // The router's log lines about this message carry the trace and its processing span.
  const routed = routerLog.lines().find((line) => line.msg === 'submit routed');
  expect(routed).toMatchObject({
    message_id: MESSAGE_ID,
    trace_id: traceId,
    span_id: routing?.spanContext().spanId,
    trace_flags: '01',
  });
});
