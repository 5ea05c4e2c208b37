/**
 * The submit path end to end, across the real processes: an SMPP client
 * (node-smpp) submits to the edge, the router routes, the connector's `sim`
 * driver answers by destination, and every message id from submit_sm_resp
 * ends with exactly its expected final status event on SMS_STATUS. Then all
 * three services stop gracefully on SIGTERM.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AccountStore, hashPassword } from '@smsgw/accounts';
import { envelopeKey, ensureTopology, type Topology } from '@smsgw/nats';
import { MessageState, type StatusEvent } from '@smsgw/proto';
import { childNatsUrl, startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getFreePorts } from '@smsgw/testing';
import { waitForListener } from './support/wait-for-listener.ts';
import { connectNodeSmpp, type NodeSmppClient } from './support/node-smpp-client.ts';
import { ServiceProcess } from './support/service-process.ts';
import { collectStatusEvents } from './support/status-events.ts';

const systemId = 'acme';
const password = 'secret12';

/** What a submit should end as, by the sim driver's outcome table (services/connector/README.md). */
interface Expectation {
  readonly label: string;
  readonly pdu: Record<string, unknown>;
  readonly state: MessageState;
  readonly errorCode: number;
}

/** A GSM-7 text submit to `destination` (data_coding 0: node-smpp's default would be IA5, refused). */
function text(destination: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source_addr: 'smsgw',
    destination_addr: destination,
    data_coding: 0,
    short_message: 'Hi',
    ...extra,
  };
}

const expectations: readonly Expectation[] = [
  { label: 'delivered', pdu: text('4512345670'), state: MessageState.DELIVERED, errorCode: 0 },
  {
    label: 'absent subscriber',
    pdu: text('4512345676'),
    state: MessageState.UNDELIVERABLE,
    errorCode: 0x1013,
  },
  { label: 'expired', pdu: text('4512345677'), state: MessageState.EXPIRED, errorCode: 0x1022 },
  { label: 'rejected', pdu: text('4512345678'), state: MessageState.REJECTED, errorCode: 0x1034 },
  {
    label: 'unknown subscriber',
    pdu: text('4512345679'),
    state: MessageState.UNDELIVERABLE,
    errorCode: 0x1010,
  },
  {
    label: 'long message_payload',
    pdu: {
      source_addr: 'smsgw',
      destination_addr: '4512345671',
      data_coding: 0,
      message_payload: Buffer.from('A long message sent in message_payload. '.repeat(10)),
    },
    state: MessageState.DELIVERED,
    errorCode: 0,
  },
  {
    label: 'priority 3 (capped to 2)',
    pdu: text('4512345672', { priority_flag: 3 }),
    state: MessageState.DELIVERED,
    errorCode: 0,
  },
];

let nats: NatsServerHandle | undefined;
let nc: NatsConnection | undefined;
let topology: Topology;
let client: NodeSmppClient | undefined;
let smppPort: number;
const services: ServiceProcess[] = [];

/** Every child's output, for assertion messages. */
function outputs(): string {
  return services.map((s) => s.output).join('\n');
}

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect(nats.connectOptions);
  topology = await ensureTopology(nc, { owner: 'none' }); // create only: each service reconciles its own objects
  await new AccountStore(topology.kv.accounts).create({
    systemId,
    // The cheapest scrypt cost allowed: binds stay fast on a loaded machine.
    passwordHash: await hashPassword(password, { cost: 1024, blockSize: 8, parallelization: 1 }),
    approvedPriorities: [0, 1, 2],
  });

  const [smpp, edgeAdmin, routerAdmin, connectorAdmin, edgeGrpc] = await getFreePorts(5);
  smppPort = smpp as number;
  const shared = { NATS_URL: childNatsUrl(nats), SHUTDOWN_GRACE: '10s' };
  services.push(
    new ServiceProcess('edge', edgeAdmin as number, {
      ...shared,
      EDGE_SMPP_HOST: '127.0.0.1',
      EDGE_SMPP_PORT: String(smppPort),
      EDGE_GRPC_PORT: String(edgeGrpc),
    }),
    new ServiceProcess('router', routerAdmin as number, { ...shared, ROUTER_PULL_EXPIRES: '1s' }),
    new ServiceProcess('connector', connectorAdmin as number, {
      ...shared,
      CONNECTOR_SIM_DELAY: '0',
      CONNECTOR_PULL_EXPIRES: '1s',
    }),
  );
  await Promise.all(services.map((s) => s.waitReady(20_000)));
  // The edge reports ready before its SMPP listener is bound (no readiness check covers it): wait for the port too.
  await waitForListener(smppPort, 10_000);
}, 40_000);

afterAll(async () => {
  for (const service of services) service.kill();
  await client?.close(); // already closed when the edge unbound it
  await nc?.close();
  await nats?.stop();
});

it('routes every submit to its final status, priority capped to the approved lane', async () => {
  client = await connectNodeSmpp(smppPort);
  const bind = await client.send('bind_transmitter', { system_id: systemId, password });
  expect(bind.command_status, outputs()).toBe(0);

  const ids: string[] = [];
  for (const e of expectations) {
    const response = await client.send('submit_sm', e.pdu);
    expect(response.command_status, `${e.label}\n${outputs()}`).toBe(0);
    ids.push(response['message_id'] as string);
  }
  expect(new Set(ids).size).toBe(ids.length);

  const events = await collectStatusEvents(topology.js, ids, { timeoutMs: 15_000, settleMs: 1_000 });
  expectations.forEach((e, i) => {
    const finals = (events.get(ids[i] as string) ?? []).filter((s: StatusEvent) => !s.intermediate);
    expect(
      finals.map((s) => ({ state: s.messageState, errorCode: s.errorCode, systemId: s.systemId })),
      e.label,
    ).toEqual([{ state: e.state, errorCode: e.errorCode, systemId }]);
  });
  expect([...events.keys()].sort()).toEqual([...ids].sort());

  // Each final event carries the envelope the DLR is built from (nothing is kept in KV any more).
  for (const [i, id] of ids.entries()) {
    const final = (events.get(id) ?? []).find((s: StatusEvent) => !s.intermediate);
    const envelope = final?.envelope;
    expect([envelope?.messageId, envelope?.systemId, envelope?.destination?.addr], id).toEqual([
      id,
      systemId,
      expectations[i]?.pdu['destination_addr'],
    ]);
    expect(await topology.kv.envelopes.get(envelopeKey(id))).toBeNull();
  }

  // The priority-3 submit went down lane 2: the router's and the connector's metrics show it.
  const [router, connector] = [services[1], services[2]] as [ServiceProcess, ServiceProcess];
  const routed = (await router.admin('/metrics')).body;
  expect(routed).toMatch(/router_submits_routed_total\{[^}]*priority="2"[^}]*\} 1\b/);
  expect(routed).not.toMatch(/router_submits_routed_total\{[^}]*priority="3"/);
  expect(routed).toMatch(/router_submits_routed_total\{[^}]*priority="0"[^}]*\} 6\b/);
  const processed = (await connector.admin('/metrics')).body;
  expect(processed).toMatch(/smsgw_connector_messages_processed_total\{[^}]*lane="2"[^}]*\} 1\b/);
  expect(processed).not.toMatch(/smsgw_connector_messages_processed_total\{[^}]*lane="3"[^}]*\} [1-9]/);
});

it('stops every service on SIGTERM with exit code 0, the edge unbinding its session first', async () => {
  const exits = await Promise.all(services.map((s) => s.stop(15_000)));
  expect(
    exits.map((x, i) => ({ service: services[i]?.name, ...x })),
    outputs(),
  ).toEqual([
    { service: 'edge', code: 0, signal: null },
    { service: 'router', code: 0, signal: null },
    { service: 'connector', code: 0, signal: null },
  ]);
  const unbound = client?.unboundByServer.then(() => 'unbound');
  const later = new Promise((resolve) => setTimeout(resolve, 1_000, 'still bound'));
  expect(await Promise.race([unbound, later])).toBe('unbound');
});
