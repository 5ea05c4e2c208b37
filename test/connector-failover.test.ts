/**
 * Routes with failover across the real edge and router processes: the
 * default route is `first,second`; `second` is the sim connector process,
 * `first` runs in this test (the real worker and health publisher, with a sim
 * driver whose ready() the test switches). While `first` is ready it gets the
 * messages; once it has not been ready for ROUTER_FAILOVER_AFTER the
 * router sends them to `second`; when it is ready again, back to `first`.
 */
import {
  createConnectorMetrics,
  createSimDriver,
  startConnectorWorker,
  startHealthPublisher,
  type ConnectorWorker,
  type Driver,
  type HealthPublisher,
} from '@smsgw/connector';
import { ensureConnectorLanes, openConnectorHealthBucket } from '@smsgw/nats';
import { createLogger, createMetrics } from '@smsgw/runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from './support/local-system.ts';
import { bindCustomer, type SmppCustomer } from './support/smpp-customer.ts';
import { collectStatusEvents } from './support/status-events.ts';

const password = 'secret12';
const FAILOVER_MS = 1_500;

let system: LocalSystem | undefined;
let customer: SmppCustomer | undefined;
let worker: ConnectorWorker | undefined;
let health: HealthPublisher | undefined;
let firstReady = true;

beforeAll(async () => {
  system = await startLocalSystem({
    edges: 1,
    dispatchers: 0,
    accounts: ['acme'],
    password,
    env: {
      router: { ROUTER_DEFAULT_ROUTE: 'first,second', ROUTER_FAILOVER_AFTER: String(FAILOVER_MS) },
      connector: { CONNECTOR_NAME: 'second' },
    },
  });
  const { js, jsm } = system.topology;
  await ensureConnectorLanes(jsm, 'first', { owner: 'connector' });
  const sim = createSimDriver({ latency: { minMs: 0, maxMs: 0 } });
  const driver: Driver = { ...sim, ready: () => firstReady };
  const logger = createLogger({ service: 'connector', pod: 'first-0', level: 'warn' });
  worker = await startConnectorWorker({
    js,
    connector: 'first',
    driver,
    logger,
    metrics: createConnectorMetrics(createMetrics({ service: 'connector', defaultMetrics: false })),
    maxInFlight: 8,
    pullExpiresMs: 1_000,
    ackWaitMs: 10_000,
    retry: { minMs: 100, maxMs: 1_000 },
  });
  health = await startHealthPublisher({
    kv: (await openConnectorHealthBucket(js, jsm, { owner: 'all', ttlMs: 3_000 })).kv,
    connector: 'first',
    pod: 'first-0',
    driver,
    ttlMs: 3_000,
    logger,
    pollMs: 100,
  });
  const edge = system.edges[0];
  if (edge === undefined) throw new Error('no edge');
  customer = await bindCustomer(edge.smppPort, 'bind_transmitter', { systemId: 'acme', password });
}, 120_000);

afterAll(async () => {
  await customer?.close();
  await health?.withdraw();
  await worker?.drain();
  await system?.close();
});

/** Submits one message that the sim delivers and resolves with the connector its final status came from. */
async function connectorOfNextMessage(): Promise<string> {
  if (customer === undefined || system === undefined) throw new Error('not started');
  const id = await customer.submit('4512345670');
  const events = await collectStatusEvents(system.topology.js, [id], { timeoutMs: 30_000, settleMs: 0 });
  const final = events.get(id)?.find((e) => !e.intermediate);
  return final?.connector ?? '';
}

/** Submits one message at a time until one goes to `connector` (a bounded number of tries); the tries it took. */
async function submitUntilRoutedTo(connector: string, tries: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < tries; i++) {
    const got = await connectorOfNextMessage();
    seen.push(got);
    if (got === connector) return seen;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `no message went to ${connector} in ${tries} tries: ${seen.join(', ')}\n${system?.outputs() ?? ''}`,
  );
}

it('routes to the first connector while it is ready, to the second once it has not been for a while, and back', async () => {
  expect(await connectorOfNextMessage()).toBe('first');

  firstReady = false;
  const over = await submitUntilRoutedTo('second', 60);
  // Everything before the switch went to the first (it kept delivering: only new routes changed).
  expect(over.slice(0, -1).every((c) => c === 'first')).toBe(true);
  expect(await connectorOfNextMessage()).toBe('second');

  firstReady = true;
  const back = await submitUntilRoutedTo('first', 60);
  expect(back.slice(0, -1).every((c) => c === 'second')).toBe(true);
  expect(await connectorOfNextMessage()).toBe('first');

  const metrics = await fetch(`http://127.0.0.1:${String(system!.router.adminPort)}/metrics`).then((r) =>
    r.text(),
  );
  expect(metrics).toMatch(/router_failovers_total\{[^}]*connector="first"[^}]*\} [1-9]/);
}, 180_000);
