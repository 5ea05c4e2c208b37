/**
 * The chart's dashboard and alerts query only metrics the services really serve. The chart is rendered
 * with helm (monitoring.* on), the dashboard parsed out of its ConfigMap and the rules out of the
 * PrometheusRule; every PromQL expression is parsed with Prometheus' own grammar (lezer-promql) and the
 * metric name of each of its selectors looked up on a running system's /metrics: edge, router, an
 * `smpp` connector bound to a test SMSC (support/upstream-smsc.ts: its upstream-session metrics exist
 * only then) and a dispatcher. One message goes all the way to its DLR, and one DLR is left waiting in
 * an account's backlog, so that the counters, histograms and backlog gauges have series.
 * Every alert's runbook_url points at a heading of docs/runbook.md.
 *
 * `smsgw status --json` (run in-process) reads the same system from NATS: the edge pod holding the
 * receiver, the lanes and their lags, the waiting DLR with its age, the connector with its upstream
 * session.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { runCli, type CliIo } from '@smsgw/cli';
import {
  ConsumerName,
  StreamName,
  connectorLaneConsumerName,
  dlrDispatcherLanes,
  routerLanes,
} from '@smsgw/nats';
import { childNatsUrl } from '@smsgw/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helmTemplate, named, type K8sObject } from './support/helm-render.ts';
import { startLocalSystem, type LocalSystem } from './support/local-system.ts';
import { parsePrometheusText, type Exposition } from './support/prometheus-text.ts';
import { bindCustomer, type SmppCustomer } from './support/smpp-customer.ts';
import { UpstreamSmsc } from './support/upstream-smsc.ts';

const password = 'secret12';
const RUNBOOK = resolve(import.meta.dirname, '..', 'docs', 'runbook.md');

/**
 * Metrics counted only when something goes wrong (a redelivery, a malformed message): their families
 * are declared on /metrics from the start, but a healthy run gives them no series.
 */
const ONLY_ON_FAILURE = new Set([
  'smsgw_connector_messages_redelivered_total',
  'smsgw_connector_messages_failed_total',
]);

/** Grafana's variables replaced by values PromQL accepts, so that the expression parses. */
function withoutGrafanaVariables(expr: string): string {
  return expr.replaceAll('$__rate_interval', '5m').replaceAll('$topN', '10').replaceAll('$namespace', '.*');
}

/** The metric names an expression selects; throws when it does not parse. */
function metricNames(expr: string): string[] {
  const tree = parser.parse(expr);
  const names = new Set<string>();
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) throw new Error(`PromQL does not parse at ${cursor.from}: ${expr}`);
    if (cursor.name === 'Identifier' && cursor.node.parent?.name === 'VectorSelector') {
      names.add(expr.slice(cursor.from, cursor.to));
    }
  } while (cursor.next());
  return [...names];
}

interface DashboardPanel {
  readonly title?: string;
  readonly targets?: readonly { readonly expr?: string }[];
  readonly panels?: readonly DashboardPanel[];
}

interface Dashboard {
  readonly panels: readonly DashboardPanel[];
  readonly templating: {
    readonly list: readonly { readonly query?: unknown; readonly definition?: string }[];
  };
}

interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly annotations: Readonly<Record<string, string>>;
}

let objects: K8sObject[];
let smsc: UpstreamSmsc;
let system: LocalSystem;
let receiver: SmppCustomer;
let sender: SmppCustomer;
const scraped = new Map<string, Exposition>();

beforeAll(async () => {
  objects = await helmTemplate({
    monitoring: {
      podMonitor: { enabled: true },
      prometheusRule: { enabled: true },
      dashboard: { enabled: true },
    },
  });
  smsc = await UpstreamSmsc.start();
  system = await startLocalSystem({
    edges: 1,
    dispatchers: 1,
    accounts: ['watched', 'unbound'],
    password,
    env: {
      router: { ROUTER_DEFAULT_ROUTE: 'upstream' },
      connector: smsc.connectorEnv({
        CONNECTOR_SMPP_SESSIONS: '1',
        CONNECTOR_SMPP_SUBMIT_ID_BASE: 'hex',
        CONNECTOR_SMPP_RECEIPT_ID_BASE: 'decimal',
      }),
    },
  });
  const port = system.edges[0]?.smppPort ?? 0;
  receiver = await bindCustomer(port, 'bind_transceiver', { systemId: 'watched', password });
  // No receiver of "unbound" anywhere: its DLR waits in the backlog (the backlog gauges get series).
  sender = await bindCustomer(port, 'bind_transmitter', { systemId: 'unbound', password });
  const id = await receiver.submit('4512345670');
  await sender.submit('4512345671');
  const deadline = Date.now() + 30_000;
  while (!receiver.reports.some((r) => r.receiptedMessageId === id)) {
    if (Date.now() > deadline) throw new Error(`no DLR for ${id}\n${system.outputs()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // The second DLR is in the backlog once SMS_DLR holds it.
  for (;;) {
    const info = await system.topology.jsm.streams.info('SMS_DLR');
    if (info.state.messages >= 1) break;
    if (Date.now() > deadline) throw new Error(`no DLR in the backlog\n${system.outputs()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const slot of system.slots()) {
    const { status, body } = await slot.process.admin('/metrics');
    expect(status).toBe(200);
    scraped.set(slot.pod, parsePrometheusText(body));
  }
}, 180_000);

afterAll(async () => {
  await receiver.close();
  await sender.close();
  await system.close();
  await smsc.stop();
});

/** Where a metric name is declared (a histogram's _bucket/_sum/_count under its family) and whether it has series. */
function lookUp(name: string): { declared: boolean; sampled: boolean } {
  let declared = false;
  let sampled = false;
  for (const e of scraped.values()) {
    const base = name.replace(/_(bucket|sum|count)$/, '');
    const type = e.types.get(name) ?? e.types.get(base);
    if (
      e.types.has(name) ||
      (type === 'histogram' && base !== name) ||
      (type === 'summary' && /_(sum|count)$/.test(name))
    ) {
      declared = true;
    }
    if (e.samples.some((s) => s.name === name)) sampled = true;
  }
  return { declared, sampled };
}

/** The names of `exprs` missing from /metrics, or without a series when they should have one. */
function missing(exprs: readonly { where: string; expr: string }[]): string[] {
  const problems: string[] = [];
  for (const { where, expr } of exprs) {
    for (const name of metricNames(withoutGrafanaVariables(expr))) {
      const { declared, sampled } = lookUp(name);
      if (!declared) problems.push(`${where}: ${name} is not on any /metrics`);
      else if (!sampled && !ONLY_ON_FAILURE.has(name)) problems.push(`${where}: ${name} has no series`);
    }
  }
  return problems;
}

describe('the PromQL reader', () => {
  it('finds every selector’s metric name and refuses what does not parse', () => {
    expect(
      metricNames(
        'sum by (a) (rate(foo_total{x="1"}[5m])) / histogram_quantile(0.9, sum by (le) (bar_bucket))',
      ),
    ).toEqual(['foo_total', 'bar_bucket']);
    expect(metricNames('max(up) or vector(0)')).toEqual(['up']);
    expect(() => metricNames('sum(rate(foo[5m])')).toThrow(/does not parse/);
  });
});

describe('the dashboard', () => {
  let dashboard: Dashboard;

  beforeAll(() => {
    const configMap = named(objects, 'ConfigMap', 'smsgw-dashboard');
    expect(configMap.metadata).toMatchObject({ labels: { grafana_dashboard: '1' } });
    const data = configMap['data'] as Record<string, string>;
    dashboard = JSON.parse(data['smsgw-overview.json'] ?? '') as Dashboard;
  });

  it('has the panels the on-call engineer looks at first', () => {
    const titles = dashboard.panels.map((p) => p.title ?? '').join('\n');
    for (const wanted of [
      /submit_sm\/s by command_status/,
      /top \$topN accounts/,
      /submit_sm_resp latency/,
      /PubAck latency/,
      /Bound sessions/,
      /Window use/,
      /Routed\/s by connector and priority/,
      /lane wait/,
      /Status events/,
      /DLR backlog, top/,
      /DLR backlog age/,
      /DLR delivery latency/,
      /deliver_sm outcomes/,
      /Edge ↔ dispatcher links/,
      /Stream depths/,
      /Consumer lag/,
      /Upstream sessions/,
    ]) {
      expect(titles).toMatch(wanted);
    }
  });

  it('queries only metrics a running system serves, each with series', () => {
    const exprs = dashboard.panels.flatMap((p) =>
      (p.targets ?? []).map((t) => ({ where: p.title ?? '?', expr: t.expr ?? '' })),
    );
    expect(exprs.length).toBeGreaterThan(20);
    const variables = dashboard.templating.list.flatMap((v) =>
      v.definition === undefined
        ? []
        : [{ where: 'variable', expr: v.definition.replace(/^label_values\((\w+),.*$/, '$1') }],
    );
    expect(missing([...exprs, ...variables])).toEqual([]);
  });
});

describe('the alerts', () => {
  let rules: AlertRule[];

  beforeAll(() => {
    const rule = named(objects, 'PrometheusRule', 'smsgw');
    const spec = rule['spec'] as { groups: { rules: AlertRule[] }[] };
    rules = spec.groups.flatMap((g) => g.rules);
  });

  it('cover what loses money or messages', () => {
    expect(rules.map((r) => r.alert).sort()).toEqual(
      [
        'SmsgwConnectorNotReady',
        'SmsgwConsumerLagHigh',
        'SmsgwDlrBacklogNearCap',
        'SmsgwDlrBacklogOld',
        'SmsgwPoisonMessages',
        'SmsgwPubAckSlow',
        'SmsgwRedeliveries',
        'SmsgwServiceNotReady',
        'SmsgwSubmitsRefusedBySystem',
        'SmsgwUpstreamSessionsDown',
      ].sort(),
    );
  });

  it('read only metrics a running system serves', () => {
    expect(missing(rules.map((r) => ({ where: r.alert, expr: r.expr })))).toEqual([]);
  });

  it('each link to their runbook in docs/runbook.md', async () => {
    const runbook = await readFile(RUNBOOK, 'utf8');
    const headings = new Set(
      [...runbook.matchAll(/^#{2,3} (.+)$/gm)].map((m) => (m[1] ?? '').trim().toLowerCase()),
    );
    for (const r of rules) {
      const url = r.annotations['runbook_url'] ?? '';
      expect(url, r.alert).toMatch(/\/docs\/runbook\.md#[a-z]+$/);
      expect(headings.has(url.slice(url.indexOf('#') + 1)), `${r.alert}: no heading in docs/runbook.md`).toBe(
        true,
      );
    }
  });
});

/** Runs the CLI in-process; resolves with its exit code and what it printed. */
async function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    stdin: process.stdin,
    env: {},
  } satisfies CliIo;
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

describe('smsgw status', () => {
  interface StatusJson {
    at: string;
    streams: { stream: string; messages: number; oldestAgeMs?: number }[];
    lanes: {
      stage: string;
      priority: number;
      connector?: string;
      consumer: string;
      pending: number;
      readers: number;
    }[];
    dlrBacklog: { account: string; messages: number; oldestAgeMs?: number }[];
    edges: { pod: string; grpcAddress: string; accounts: { account: string; receivers: number }[] }[];
    connectors: {
      connector: string;
      replicas: {
        pod: string;
        ready: boolean;
        stale: boolean;
        sessions?: { bound: number; configured: number };
      }[];
      pending: number;
    }[];
  }
  let status: StatusJson;
  let natsUrl: string;

  beforeAll(async () => {
    if (system.nats === undefined) throw new Error('no NATS server');
    natsUrl = childNatsUrl(system.nats);
    // The connector announces its readiness on its next health tick (every second) after its upstream
    // session binds: read until it has, as an operator would look again.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { code, stdout, stderr } = await cli(['status', '--json', '--nats-url', natsUrl]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      status = JSON.parse(stdout) as StatusJson;
      const ready = status.connectors.some((c) => c.replicas.some((r) => r.ready));
      if (ready || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  it('shows the edge pod holding the receiver of the bound account, and none of the transmitter-only one', () => {
    const edge = system.edges[0];
    expect(status.edges).toEqual([
      {
        pod: edge?.pod,
        grpcAddress: `127.0.0.1:${String(edge?.grpcPort)}`,
        accounts: [{ account: 'watched', receivers: 1 }],
      },
    ]);
  });

  it('shows every stream, the submit and status lanes by priority and the connector’s four route lanes', () => {
    expect(status.streams.map((s) => s.stream)).toEqual(expect.arrayContaining(Object.values(StreamName)));
    expect(status.streams.find((s) => s.stream === StreamName.dlr)).toMatchObject({ messages: 1 });
    const lanes = (stage: string) => status.lanes.filter((l) => l.stage === stage);
    expect(lanes('submit').map((l) => l.consumer)).toEqual(routerLanes().map((l) => l.consumer));
    expect(lanes('status').map((l) => l.consumer)).toEqual(dlrDispatcherLanes().map((l) => l.consumer));
    expect(lanes('route').map((l) => [l.connector, l.priority, l.consumer])).toEqual(
      [0, 1, 2, 3].map((p) => ['upstream', p, connectorLaneConsumerName('upstream', p as 0 | 1 | 2 | 3)]),
    );
    // Everything was routed, sent and reported: nothing waits in a lane, and the readers are attached.
    for (const l of status.lanes) expect(l.pending, l.consumer).toBe(0);
    expect(status.lanes.find((l) => l.consumer === ConsumerName.router)?.readers).toBeGreaterThan(0);
  });

  it('shows the DLR waiting for the account without a receiver, with its age', () => {
    expect(status.dlrBacklog).toHaveLength(1);
    const [waiting] = status.dlrBacklog;
    expect(waiting).toMatchObject({ account: 'unbound', messages: 1 });
    expect(waiting?.oldestAgeMs).toBeGreaterThanOrEqual(0);
    expect(waiting?.oldestAgeMs).toBeLessThan(180_000);
  });

  it('shows the connector ready with its bound upstream session', () => {
    expect(status.connectors).toEqual([
      {
        connector: 'upstream',
        replicas: [
          {
            pod: system.connector.pod,
            ready: true,
            since: expect.any(String) as string,
            stale: false,
            sessions: { bound: 1, configured: 1 },
          },
        ],
        pending: 0,
      },
    ]);
  });

  it('prints the same as tables', async () => {
    const { code, stdout } = await cli(['status', '--nats-url', natsUrl]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Edge pods/m);
    expect(stdout).toMatch(new RegExp(`^  ${system.edges[0]?.pod ?? '?'} .* watched +1$`, 'm'));
    expect(stdout).toMatch(/^ {2}unbound +1 +\d+s$/m);
    expect(stdout).toMatch(/^ {2}upstream +\S+ +ready +\S+ +1\/1 +0$/m);
  });
});
