/**
 * The `smpp` connector end to end across real processes: a node-smpp customer
 * → edge → router (default route `upstream`) → connector (driver smpp) → an
 * upstream SMSC on the npm `smpp` package's server → receipt → dispatcher →
 * the customer's DLR, with the upstream's error mapped; then kill -9 of the
 * connector mid-stream (nothing lost: every message gets its DLR).
 *
 * BENCH_UPSTREAM_MESSAGES=<n> makes the first test a throughput measurement
 * (customer → SMSC → DLR through one connector), printed as one line.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from './support/local-system.ts';
import { bindCustomer, type SmppCustomer } from './support/smpp-customer.ts';
import { UpstreamSmsc } from './support/upstream-smsc.ts';

const password = 'secret12';
let system: LocalSystem;
let smsc: UpstreamSmsc;
const customers: SmppCustomer[] = [];

beforeAll(async () => {
  smsc = await UpstreamSmsc.start();
  system = await startLocalSystem({
    edges: 1,
    dispatchers: 1,
    accounts: ['up-path', 'up-chaos'],
    password,
    env: {
      router: { ROUTER_DEFAULT_ROUTE: 'upstream' },
      connector: smsc.connectorEnv({
        CONNECTOR_SMPP_SESSIONS: '2',
        CONNECTOR_SMPP_WINDOW: '20',
        CONNECTOR_SMPP_SUBMIT_ID_BASE: 'hex',
        CONNECTOR_SMPP_RECEIPT_ID_BASE: 'decimal',
        // A crashed connector's messages come back after this (the default 60 s is long for a test).
        CONNECTOR_ACK_WAIT: '3s',
        CONNECTOR_RETRY_DELAY_MIN: '100ms',
        CONNECTOR_RETRY_DELAY_MAX: '1s',
      }),
    },
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(customers.map((c) => c.close()));
  await system.close();
  await smsc.stop();
});

async function customer(systemId: string): Promise<SmppCustomer> {
  const c = await bindCustomer(system.edges[0]?.smppPort ?? 0, 'bind_transceiver', { systemId, password });
  customers.push(c);
  return c;
}

/** Waits until every id has a final DLR; returns each id's stat and err. */
async function finalReports(
  c: SmppCustomer,
  ids: readonly string[],
  timeoutMs: number,
): Promise<Map<string, string>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const byId = new Map<string, string>();
    for (const r of c.reports) {
      const stat = /stat:(\w+) err:(\w+)/.exec(r.text);
      if (stat !== null) byId.set(r.receiptedMessageId, `${stat[1] ?? ''} ${stat[2] ?? ''}`);
    }
    if (ids.every((id) => byId.has(id))) return byId;
    if (Date.now() > deadline) {
      throw new Error(
        `${ids.filter((id) => !byId.has(id)).length} of ${ids.length} DLRs missing\n${system.outputs()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('customer → edge → router → smpp connector → SMSC → receipt → DLR, the upstream error mapped', async () => {
  const c = await customer('up-path');
  const count = Number(process.env['BENCH_UPSTREAM_MESSAGES'] ?? '300');
  // Last digits 0..7: 6 is UNDELIV err:019 upstream; 8 (refused ESME_RINVDSTADR) is tested apart.
  const destinations = Array.from({ length: count }, (_, i) => `45123456${String(i % 8).padStart(2, '0')}`);
  const startedAt = performance.now();
  const ids = await c.submitMany(destinations, 50);
  const reports = await finalReports(c, ids, 60_000 + count * 10);
  const seconds = (performance.now() - startedAt) / 1000;
  if (process.env['BENCH_UPSTREAM_MESSAGES'] !== undefined) {
    process.stdout.write(
      `upstream bench: ${count} messages customer → SMSC → DLR in ${seconds.toFixed(2)} s: ${(count / seconds).toFixed(0)} msg/s\n`,
    );
  }
  ids.forEach((id, i) => {
    expect(reports.get(id)).toBe(destinations[i]?.endsWith('6') === true ? 'UNDELIV 019' : 'DELIVRD 000');
  });

  // A permanent refusal upstream: REJECTD with ESME_RINVDSTADR's code, 0x1060 (err 096).
  const [refused] = await c.submitMany(['4512345608'], 1);
  const refusedReports = await finalReports(c, [refused ?? ''], 30_000);
  expect(refusedReports.get(refused ?? '')).toBe('REJECTD 096');
}, 180_000);

it('kill -9 of the connector mid-stream loses nothing', async () => {
  const c = await customer('up-chaos');
  const destinations = Array.from({ length: 300 }, (_, i) => `45987654${String(i % 6).padStart(2, '0')}`);
  const acceptedBefore = smsc.accepted.length;
  const submitting = c.submitMany(destinations, 20);
  const deadline = Date.now() + 60_000;
  while (smsc.accepted.length - acceptedBefore < 100 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await system.connector.process.crash();
  await system.restart(system.connector);
  const ids = await submitting;
  const reports = await finalReports(c, ids, 120_000);
  expect(ids.filter((id) => !reports.has(id))).toEqual([]);
  // At least once: messages in flight at the crash may have reached the SMSC twice.
  const sent = smsc.accepted.length - acceptedBefore;
  expect(sent).toBeGreaterThanOrEqual(300);
  process.stdout.write(
    `kill -9: ${sent - 300} messages resent to the SMSC, ${c.reports.length - 300} duplicate DLRs\n`,
  );
}, 240_000);
