/**
 * The edge's scrape-time gauges and its submit_sm_resp histogram against a real Edge and NATS:
 * values after binds, submits, an unanswered deliver_sm and unbinds, with the account series
 * bounded to the busiest accounts.
 */
import { createMetrics } from '@smsgw/runtime';
import { CommandStatus, createPdu, type DeliverSm, type SmppSession } from '@smsgw/smpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountInput,
  bindClient,
  startEdge,
  startNatsFixture,
  submit,
  type EdgeFixture,
  type NatsFixture,
} from './edge.test-support.ts';
import { createEdgeMetrics } from './metrics.ts';

let nats: NatsFixture;
let fx: EdgeFixture;
const m = createMetrics({ service: 'edge', defaultMetrics: false });
const open: SmppSession[] = [];

/** EDGE_SMPP_WINDOW of this edge (the submit window of each TX/TRX session). */
const SUBMIT_WINDOW = 20;
/** The engine's default outbound window (the deliver window of each RX/TRX session). */
const DELIVER_WINDOW = 10;

beforeAll(async () => {
  nats = await startNatsFixture();
  for (const id of ['a1', 'a2', 'a3']) await nats.store.create(accountInput(id, { maxBinds: 5 }));
  fx = await startEdge(nats, {
    metrics: createEdgeMetrics(m, { accountLimit: 2 }),
    session: { bindTimeout: 5_000, inboundWindow: SUBMIT_WINDOW },
  });
});

afterAll(async () => {
  for (const session of open.splice(0)) session.close();
  await fx.stop();
  await nats.stop();
});

async function bind(
  type: 'transmitter' | 'receiver' | 'transceiver',
  systemId: string,
): Promise<SmppSession> {
  const session = await bindClient(fx.port, type, systemId);
  open.push(session);
  return session;
}

/** One metric's samples as `labels value` lines (service label left out), sorted. */
async function scrape(name: string): Promise<string[]> {
  const text = await m.registry.metrics();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) =>
      line
        .slice(name.length)
        .replace(/service="edge",?/, '')
        .replace(/,}/, '}')
        .replace('{}', '')
        .trim(),
    )
    .sort();
}

describe('edge metrics of a running edge', () => {
  let a1: SmppSession[];
  let a2: SmppSession;

  beforeAll(async () => {
    a1 = [await bind('transceiver', 'a1'), await bind('transceiver', 'a1'), await bind('transmitter', 'a1')];
    a2 = await bind('receiver', 'a2');
    await bind('transmitter', 'a3');
  });

  it('shows bound accounts, the busiest ones by bind type, presence and window slots after binds', async () => {
    expect(await scrape('edge_accounts_bound')).toEqual(['3']);
    // Limit 2: a1 (3 sessions), then a2 before a3 (1 each, by system_id).
    expect(await scrape('edge_account_sessions_bound')).toEqual([
      '{account="a1",bind_type="transceiver"} 2',
      '{account="a1",bind_type="transmitter"} 1',
      '{account="a2",bind_type="receiver"} 1',
    ]);
    expect(await scrape('edge_presence_accounts')).toEqual(['2']);
    expect(await scrape('edge_session_window_slots')).toEqual([
      `{window="deliver"} ${String(3 * DELIVER_WINDOW)}`,
      `{window="submit"} ${String(4 * SUBMIT_WINDOW)}`,
    ]);
  });

  it('observes every submit_sm_resp, refusals as errors, and frees the submit window', async () => {
    const [session] = a1;
    if (session === undefined) throw new Error('no session');
    const responses = await Promise.all([submit(session), submit(session), submit(session)]);
    expect(responses.map((r) => r.commandStatus)).toEqual([0, 0, 0]);
    const refused = await submit(session, { priorityFlag: 4 });
    expect(refused.commandStatus).toBe(CommandStatus.ESME_RINVPRTFLG);
    const counts = await scrape('edge_submit_response_seconds_count');
    expect(counts).toEqual(['{result="error"} 1', '{result="ok"} 3']);
    expect(await scrape('edge_session_window_used')).toEqual(['{window="deliver"} 0', '{window="submit"} 0']);
  });

  it('counts a deliver_sm the client has not answered against the deliver window', async () => {
    let held: DeliverSm | undefined;
    a2.on('request', (pdu) => {
      if (pdu.command === 'deliver_sm') held = pdu;
    });
    const target = fx.edge.boundSessionsOf('a2')[0];
    if (target === undefined) throw new Error('a2 not bound');
    const answered = target.session.request(
      createPdu('deliver_sm', {
        sourceAddr: '4512345678',
        destinationAddr: 'smsgw',
        shortMessage: Buffer.from('x'),
      }),
    );
    await expect.poll(() => held).toBeDefined();
    expect(await scrape('edge_session_window_used')).toEqual(['{window="deliver"} 1', '{window="submit"} 0']);
    expect(await scrape('edge_session_window_max_ratio')).toEqual([
      `{window="deliver"} ${String(1 / DELIVER_WINDOW)}`,
      '{window="submit"} 0',
    ]);
    if (held !== undefined) a2.reply(held, CommandStatus.ESME_ROK);
    await answered;
    expect(await scrape('edge_session_window_used')).toEqual(['{window="deliver"} 0', '{window="submit"} 0']);
  });

  it('drops an account that unbound and lets the next one into the busiest', async () => {
    await Promise.all(a1.map((s) => s.unbind()));
    await expect.poll(() => scrape('edge_accounts_bound')).toEqual(['2']);
    expect(await scrape('edge_account_sessions_bound')).toEqual([
      '{account="a2",bind_type="receiver"} 1',
      '{account="a3",bind_type="transmitter"} 1',
    ]);
    expect(await scrape('edge_presence_accounts')).toEqual(['1']);
    expect(await scrape('edge_session_window_slots')).toEqual([
      `{window="deliver"} ${String(DELIVER_WINDOW)}`,
      `{window="submit"} ${String(SUBMIT_WINDOW)}`,
    ]);
  });
});
