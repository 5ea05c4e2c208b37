/**
 * Issue #14 item 4 across the real processes: edge, router, sim connector and
 * dlr-dispatcher over one NATS server that hangs (SIGSTOP) for a moment. A
 * submit answered ESME_RMSGQFUL while its PubAck was late is stored once the
 * server runs again; the client's retry gets the same message id, and the
 * message is sent once: one delivery report, for that id, and none for an id
 * the client never got (docs/architecture.md, "Retried submits"). The same
 * when the retry reaches the other edge pod: the pods share what they answered
 * ESME_RMSGQFUL (the unsettled-submits bucket).
 */
import type smpp from 'smpp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectNodeSmpp, type NodeSmppClient } from './support/node-smpp-client.ts';
import { startLocalSystem, type LocalSystem } from './support/local-system.ts';
import { parsePrometheusText } from './support/prometheus-text.ts';

const password = 'secret12';
const ESME_ROK = 0x00;
const ESME_RMSGQFUL = 0x14;

let system: LocalSystem;
let client: NodeSmppClient;
/** A second session of the same account, on the second edge pod. */
let other: NodeSmppClient;
/** receipted_message_id of every deliver_sm, in order. */
const reports: string[] = [];

beforeAll(async () => {
  system = await startLocalSystem({
    edges: 2,
    dispatchers: 1,
    accounts: ['retrier'],
    password,
    // A short publish timeout: the hang below outlasts it.
    env: { edge: { EDGE_PUBLISH_TIMEOUT: '1s' } },
  });
  const edge = system.edges[0];
  if (edge === undefined) throw new Error('no edge');
  client = await connectNodeSmpp(edge.smppPort);
  client.session.on('deliver_sm', (pdu: smpp.PDU) => {
    const id = pdu['receipted_message_id'];
    reports.push(typeof id === 'string' ? id.replace(/\0+$/, '') : '');
    client.session.send(pdu.response());
  });
  const bound = await client.send('bind_transceiver', { system_id: 'retrier', password });
  expect(bound.command_status).toBe(ESME_ROK);
  const second = system.edges[1];
  if (second === undefined) throw new Error('no second edge');
  other = await connectNodeSmpp(second.smppPort);
  other.session.on('deliver_sm', (pdu: smpp.PDU) => {
    const id = pdu['receipted_message_id'];
    reports.push(typeof id === 'string' ? id.replace(/\0+$/, '') : '');
    other.session.send(pdu.response());
  });
  const otherBound = await other.send('bind_transceiver', { system_id: 'retrier', password });
  expect(otherBound.command_status).toBe(ESME_ROK);
}, 120_000);

afterAll(async () => {
  await other.close();
  await client.close();
  await system.close();
});

/** Submits `text` (delivered by the sim: destination ending in 0) and resolves with the status and id. */
async function send(text: string, on: NodeSmppClient = client): Promise<{ status: number; id: string }> {
  const response = await on.send('submit_sm', {
    source_addr: 'smsgw',
    destination_addr: '45123450',
    data_coding: 0,
    registered_delivery: 1,
    short_message: text,
  });
  const id = response['message_id'];
  return { status: response.command_status, id: typeof id === 'string' ? id : '' };
}

/** A counter of an edge's /metrics (0 when absent). */
async function edgeCounter(name: string, labels: Record<string, string> = {}, index = 0): Promise<number> {
  const edge = system.edges[index];
  if (edge === undefined) throw new Error('no edge');
  const metrics = parsePrometheusText((await edge.process.admin('/metrics')).body);
  return metrics.value(name, labels) ?? 0;
}

it('a submit answered ESME_RMSGQFUL but stored gets its first id on retry, and one DLR', async (ctx) => {
  const pid = system.nats?.pid;
  // SIGSTOP needs the server's process: the binary backend.
  if (pid === undefined) {
    ctx.skip();
    return;
  }
  const warm = await send('warm up');
  expect(warm.status, system.outputs()).toBe(ESME_ROK);
  await expect.poll(() => reports.includes(warm.id), { timeout: 30_000 }).toBe(true);

  process.kill(pid, 'SIGSTOP');
  let first: { status: number; id: string };
  try {
    first = await send('your parcel is on its way');
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  expect(first.status).toBe(ESME_RMSGQFUL);
  // The server read the publish once it ran again and stored it: its PubAck came late.
  await expect.poll(() => edgeCounter('edge_late_pubacks_total'), { timeout: 30_000 }).toBe(1);

  const retried = await send('your parcel is on its way');
  expect(retried.status, system.outputs()).toBe(ESME_ROK);
  expect(await edgeCounter('edge_submit_retries_total', { outcome: 'late_ack' })).toBe(1);
  await expect.poll(() => reports.includes(retried.id), { timeout: 30_000 }).toBe(true);
  // Time for a second copy's report to arrive, had the message been stored twice (the sim answers at once).
  const marker = await send('after');
  expect(marker.status).toBe(ESME_ROK);
  await expect.poll(() => reports.includes(marker.id), { timeout: 30_000 }).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(reports.filter((id) => id === retried.id)).toHaveLength(1);
  expect([...new Set(reports)].sort()).toEqual([warm.id, retried.id, marker.id].sort());
}, 120_000);

it('a retry that reaches the other edge pod gets the first id too, and one DLR', async (ctx) => {
  const pid = system.nats?.pid;
  if (pid === undefined) {
    ctx.skip();
    return;
  }
  const lateBefore = await edgeCounter('edge_late_pubacks_total');
  process.kill(pid, 'SIGSTOP');
  let first: { status: number; id: string };
  try {
    first = await send('see you at the station');
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  expect(first.status).toBe(ESME_RMSGQFUL);
  await expect.poll(() => edgeCounter('edge_late_pubacks_total'), { timeout: 30_000 }).toBe(lateBefore + 1);

  // The client's retry lands on the other pod, which never saw the first attempt.
  const retried = await send('see you at the station', other);
  expect(retried.status, system.outputs()).toBe(ESME_ROK);
  const answered =
    (await edgeCounter('edge_submit_retries_total', { outcome: 'late_ack' }, 1)) +
    (await edgeCounter('edge_submit_retries_total', { outcome: 'deduplicated' }, 1));
  expect(answered).toBe(1);
  await expect.poll(() => reports.includes(retried.id), { timeout: 30_000 }).toBe(true);
  const marker = await send('after', other);
  expect(marker.status).toBe(ESME_ROK);
  await expect.poll(() => reports.includes(marker.id), { timeout: 30_000 }).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(reports.filter((id) => id === retried.id)).toHaveLength(1);
  // Every report is for an id a client was given.
  expect(reports.every((id) => id !== '')).toBe(true);
}, 120_000);
