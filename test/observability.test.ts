/**
 * Observability of the real processes: every service started as in
 * production (`node --import @smsgw/telemetry/register src/main.ts`) with
 * OTEL_EXPORTER_OTLP_ENDPOINT pointing at an OTLP/HTTP receiver this test
 * runs, which decodes the protobuf the exporters send. One message submitted
 * over SMPP with a delivery report asked for:
 *
 * - every service exports its spans over the wire, named by service, and
 *   they form one trace from the router's processing to the deliver_sm of the
 *   DLR, each span the child of the one before;
 * - the services' log lines inside a span carry its trace_id;
 * - every /metrics parses as Prometheus text, the counters of the
 *   message's way move, and the edge's scrape-time gauges (accounts,
 *   presence, windows) show the one bound session.
 *
 * The edge's own submit spans come once edge.ts calls submit-tracing.ts
 * (being wired by the submit path's owner): until then the trace's root is the
 * context the edge made for the message, not exported, and this test accepts
 * either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OtlpSpanKind,
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from '@smsgw/telemetry/testing';
import { startLocalSystem, type LocalSystem, type ServiceSlot } from './support/local-system.ts';
import { parsePrometheusText, PrometheusTextError, type Exposition } from './support/prometheus-text.ts';
import { bindCustomer, type SmppCustomer } from './support/smpp-customer.ts';

const password = 'secret12';
const account = 'observed';

let receiver: OtlpReceiver;
let system: LocalSystem;
let customer: SmppCustomer;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  system = await startLocalSystem({
    edges: 1,
    dispatchers: 1,
    accounts: [account],
    password,
    otlpEndpoint: receiver.url,
    // The router logs each routed submit at debug: the line to find the trace_id on.
    env: { router: { LOG_LEVEL: 'debug' } },
  });
  const edge = system.edges[0];
  if (edge === undefined) throw new Error('no edge');
  customer = await bindCustomer(edge.smppPort, 'bind_transceiver', { systemId: account, password });
});

afterAll(async () => {
  await customer.close();
  await system.close();
  await receiver.close();
});

async function scrape(slot: ServiceSlot): Promise<Exposition> {
  const { status, body } = await slot.process.admin('/metrics');
  expect(status).toBe(200);
  return parsePrometheusText(body);
}

async function scrapeAll(): Promise<Map<string, Exposition>> {
  const out = new Map<string, Exposition>();
  for (const slot of system.slots()) out.set(slot.service, await scrape(slot));
  return out;
}

/** The one span named `name` that `service` exported with `kind`. */
function only(spans: readonly ReceivedSpan[], service: string, name: string, kind: number): ReceivedSpan {
  const found = spans.filter(
    (s) => s.resource['service.name'] === service && s.name === name && s.kind === kind,
  );
  expect(
    found.map((s) => s.name),
    `${service} ${name}\n${spans.map((s) => `${String(s.resource['service.name'])} ${s.name}`).join('\n')}`,
  ).toHaveLength(1);
  return found[0] as ReceivedSpan;
}

describe('the Prometheus text reader used here', () => {
  it('rejects what Prometheus would not take', () => {
    expect(() => parsePrometheusText('# TYPE a counter\na{x="1"} 1\n')).not.toThrow();
    expect(() => parsePrometheusText('a 1\n')).toThrow(PrometheusTextError);
    expect(() => parsePrometheusText('# TYPE a counter\na{x=1} 1\n')).toThrow(PrometheusTextError);
    expect(() => parsePrometheusText('# TYPE a counter\na one\n')).toThrow(PrometheusTextError);
    expect(() => parsePrometheusText('# TYPE a-b counter\n')).toThrow(PrometheusTextError);
  });
});

describe('one message through the running system', () => {
  let before: Map<string, Exposition>;
  let messageId: string;

  beforeAll(async () => {
    before = await scrapeAll();
    messageId = await customer.submit('4512345670');
    const deadline = Date.now() + 20_000;
    while (!customer.reports.some((r) => r.receiptedMessageId === messageId)) {
      if (Date.now() > deadline) throw new Error(`no DLR for ${messageId}\n${system.outputs()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('exports one trace over OTLP/HTTP, with spans from every service in parent/child order', async () => {
    // Each process exports on its own schedule: wait for the last span of each, the dispatcher's status
    // span ending after the edge's result came back (the report went to the receiver at once, no backlog).
    const all = await receiver.waitFor(
      (spans) =>
        [
          (s: ReceivedSpan) => s.name === 'deliver_sm',
          (s: ReceivedSpan) => s.name === 'process sms.status.{account}',
          (s: ReceivedSpan) => s.name === 'process sms.route.sim.0',
          (s: ReceivedSpan) => s.name === 'process sms.submit.{account}',
        ].every((wanted) => spans.some((s) => wanted(s) && s.attributes['smpp.message_id'] === messageId)),
      10_000,
    );
    const routing = only(
      all.filter((s) => s.attributes['smpp.message_id'] === messageId),
      'router',
      'process sms.submit.{account}',
      OtlpSpanKind.consumer,
    );
    const spans = all.filter((s) => s.traceId === routing.traceId);
    expect(new Set(spans.map((s) => s.resource['service.name']))).toEqual(
      new Set(['edge', 'router', 'connector', 'dlr-dispatcher']),
    );
    for (const s of spans) expect(s.resource['service.version'], s.name).toBe('0.1.0');

    const chain = [
      routing,
      only(spans, 'router', 'publish sms.route.sim.0', OtlpSpanKind.producer),
      only(spans, 'connector', 'process sms.route.sim.0', OtlpSpanKind.consumer),
      only(spans, 'connector', 'publish sms.status.{account}', OtlpSpanKind.producer),
      only(spans, 'dlr-dispatcher', 'process sms.status.{account}', OtlpSpanKind.consumer),
      only(spans, 'dlr-dispatcher', 'smsgw.v1.EdgeDelivery/Deliver', OtlpSpanKind.client),
      only(spans, 'edge', 'smsgw.v1.EdgeDelivery/Deliver', OtlpSpanKind.server),
      only(spans, 'edge', 'deliver_sm', OtlpSpanKind.client),
    ];
    for (let i = 1; i < chain.length; i++) {
      const child = chain[i] as ReceivedSpan;
      const parent = chain[i - 1] as ReceivedSpan;
      expect(
        child.parentSpanId,
        `${child.name} (${String(child.resource['service.name'])}) under ${parent.name}`,
      ).toBe(parent.spanId);
    }
    for (const s of chain) expect(s.statusCode, s.name).not.toBe(2);
    expect(routing.attributes).toMatchObject({
      'smpp.system_id': account,
      'smsgw.priority.requested': 0,
      'smsgw.priority.effective': 0,
      'smsgw.connector': 'sim',
      'smsgw.outcome': 'routed',
    });
    expect(chain.at(-1)?.attributes).toMatchObject({ 'smpp.command_status': 'ESME_ROK' });

    // The root: the edge's submit_sm span once edge.ts makes it, else the context the edge sent (not exported).
    const ids = new Set(spans.map((s) => s.spanId));
    const submitSm = spans.find((s) => s.name === 'submit_sm');
    if (submitSm === undefined) {
      expect(ids.has(routing.parentSpanId)).toBe(false);
      expect(routing.parentSpanId).toMatch(/^[0-9a-f]{16}$/);
    } else {
      const publish = only(spans, 'edge', 'publish sms.submit.{account}', OtlpSpanKind.producer);
      expect([publish.parentSpanId, routing.parentSpanId]).toEqual([submitSm.spanId, publish.spanId]);
      expect(submitSm.parentSpanId).toBe('');
    }
    // Every span hangs in the one tree.
    expect(spans.filter((s) => !ids.has(s.parentSpanId))).toHaveLength(1);
    expect(receiver.requests.failed).toBe(0);

    // The router's log line about the message carries the trace it exported.
    const routed = system.router.process.output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line['msg'] === 'submit routed' && line['message_id'] === messageId);
    expect(routed).toMatchObject({ trace_id: routing.traceId, span_id: routing.spanId });
  });

  it('serves Prometheus text on every /metrics, and the counters of the way move', async () => {
    const after = await scrapeAll();
    const moved = (service: string, name: string, labels: Record<string, string> = {}): number =>
      (after.get(service)?.value(name, labels) ?? 0) - (before.get(service)?.value(name, labels) ?? 0);
    expect(moved('edge', 'edge_submits_total', { command: 'submit_sm', command_status: 'ESME_ROK' })).toBe(1);
    expect(moved('edge', 'edge_deliveries_total', { outcome: 'delivered' })).toBe(1);
    expect(moved('router', 'router_submits_routed_total', { connector: 'sim', priority: '0' })).toBe(1);
    expect(
      moved('connector', 'smsgw_connector_status_events_total', { state: 'DELIVERED', result: 'published' }),
    ).toBe(1);
    expect(moved('dlr-dispatcher', 'dlr_dispatcher_statuses_total', { outcome: 'delivered' })).toBe(1);
    expect(moved('dlr-dispatcher', 'dlr_dispatcher_pushes_total', { outcome: 'delivered' })).toBe(1);
    expect(moved('dlr-dispatcher', 'dlr_dispatcher_delivery_latency_seconds_count')).toBe(1);
    // The edge's submit_sm_resp time, and its gauges read from the one bound transceiver at scrape time.
    expect(moved('edge', 'edge_submit_response_seconds_count', { result: 'ok' })).toBe(1);
    const edge = after.get('edge');
    expect(edge?.value('edge_accounts_bound')).toBe(1);
    expect(edge?.value('edge_account_sessions_bound', { account, bind_type: 'transceiver' })).toBe(1);
    expect(edge?.value('edge_presence_accounts')).toBe(1);
    // EDGE_SMPP_WINDOW (100) and the engine's outbound window (10) of the one session.
    expect(edge?.value('edge_session_window_slots', { window: 'submit' })).toBe(100);
    expect(edge?.value('edge_session_window_slots', { window: 'deliver' })).toBe(10);
    expect(edge?.value('edge_session_window_used', { window: 'submit' })).toBe(0);
    expect(edge?.value('edge_session_windows_full', { window: 'deliver' })).toBe(0);
    expect(edge?.value('edge_session_window_max_ratio', { window: 'submit' })).toBe(0);
    expect(edge?.value('edge_publish_seconds_count', { outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    const dispatcher = after.get('dlr-dispatcher');
    expect(dispatcher?.value('dlr_dispatcher_backlog_messages')).toBe(0);
    expect(dispatcher?.value('dlr_dispatcher_presence_entries')).toBe(1);
    expect(dispatcher?.value('dlr_dispatcher_presence_pods')).toBe(1);
    for (const [service, exposition] of after) {
      expect(exposition.value('process_cpu_seconds_total'), service).toBeGreaterThan(0);
      expect(
        exposition.samples.every((s) => s.labels['service'] === service),
        service,
      ).toBe(true);
    }
  });
});
