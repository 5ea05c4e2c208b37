/**
 * Priority end to end (docs/architecture.md, "Priority end to end"): node-smpp
 * transceivers of an account approved for priority 3 submit a burst of
 * priority-0 messages; while the burst is being accepted, 20 priority-3
 * messages follow. Each priority-3 message must overtake the priority-0 work
 * submitted before it at every stage (router intake, connector slots, status
 * stage, the account's DLR backlog): asserted with counts — how many of the
 * priority-0 messages accepted before it, and still without a DLR when it was
 * sent, got their DLR after it — never with times.
 */
import type smpp from 'smpp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from './support/local-system.ts';
import { bindCustomer, type SmppCustomer } from './support/smpp-customer.ts';

const password = 'secret12';
let system: LocalSystem;
const customers: SmppCustomer[] = [];

beforeAll(async () => {
  system = await startLocalSystem({
    edges: 2,
    dispatchers: 1,
    accounts: ['prio'],
    password,
    approvedPriorities: [1, 2, 3],
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(customers.map((c) => c.close().catch(() => undefined)));
  await system.close();
});

/** A destination the sim delivers (last digit 0..5). */
const destination = (i: number): string => `4513${String(i).padStart(7, '0')}${String(i % 6)}`;

/** Submits every destination, `window` at a time, telling `accepted` each message id as its ESME_ROK comes. */
async function submitAll(
  c: SmppCustomer,
  destinations: readonly string[],
  window: number,
  extra: smpp.PduOptions,
  accepted: (id: string) => void,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < destinations.length) {
      const d = destinations[next++] as string;
      accepted(await c.submit(d, extra));
    }
  };
  await Promise.all(Array.from({ length: window }, worker));
}

it('a priority-3 message overtakes the priority-0 backlog submitted before it, at every stage', async () => {
  const sessions: SmppCustomer[] = [];
  for (let i = 0; i < 5; i++) {
    const edge = system.edges[i % 2] ?? expect.unreachable();
    sessions.push(await bindCustomer(edge.smppPort, 'bind_transceiver', { systemId: 'prio', password }));
  }
  customers.push(...sessions);
  const [urgent, ...bulk] = sessions;
  if (urgent === undefined) expect.unreachable();

  // Moments as performance.now() of this one process, only ever compared: an order, not a duration.
  const acceptedAt = new Map<string, number>();
  const perSession = 750;
  const burst = Promise.all(
    bulk.map((c, s) =>
      submitAll(
        c,
        Array.from({ length: perSession }, (_, i) => destination(s * perSession + i)),
        50,
        {},
        (id) => acceptedAt.set(id, performance.now()),
      ),
    ),
  );
  // Sent while the burst is being accepted: after a third of it.
  await expect.poll(() => acceptedAt.size, { timeout: 60_000, interval: 10 }).toBeGreaterThan(1_000);
  const sentAt = new Map<string, number>();
  for (let i = 0; i < 20; i++) {
    const sent = performance.now();
    sentAt.set(await urgent.submit(destination(900_000 + i), { priority_flag: 3 }), sent);
  }
  await burst;
  const bulkIds = [...acceptedAt.keys()];
  expect(bulkIds).toHaveLength(4 * perSession);

  // When each DLR arrived, over every session (the first copy: at least once allows a second).
  const wanted = new Set([...bulkIds, ...sentAt.keys()]);
  const dlrAt = (): Map<string, number> => {
    const at = new Map<string, number>();
    for (const r of sessions.flatMap((c) => c.reports)) {
      const id = r.receiptedMessageId;
      if (wanted.has(id)) at.set(id, Math.min(at.get(id) ?? Infinity, r.receivedAt));
    }
    return at;
  };
  await expect
    .poll(() => dlrAt().size, { timeout: 180_000, interval: 200, message: system.outputs() })
    .toBe(wanted.size);
  const at = dlrAt();

  // For each priority-3 message: the priority-0 ones accepted before it was sent and still without their
  // DLR then (its backlog), and how many of those got their DLR after it did (overtaken).
  let backlog = 0;
  let overtaken = 0;
  for (const [id, sent] of sentAt) {
    const done = at.get(id) ?? expect.unreachable();
    const waiting = bulkIds.filter((b) => (acceptedAt.get(b) ?? Infinity) < sent && (at.get(b) ?? 0) > sent);
    backlog += waiting.length;
    overtaken += waiting.filter((b) => (at.get(b) ?? 0) > done).length;
  }
  // There was a backlog to overtake: on average at least 500 priority-0 messages in the pipeline...
  expect(backlog).toBeGreaterThanOrEqual(20 * 500);
  // ...and most of it finished after the priority-3 message. With FIFO stages this is close to 0; the
  // lower lanes' share (one in 10 at each stage) lets some priority-0 work through meanwhile.
  expect(overtaken / backlog, `${overtaken} of ${backlog} overtaken`).toBeGreaterThan(0.5);
}, 300_000);
