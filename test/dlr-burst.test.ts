/**
 * A burst larger than every window in the way, with the sim's default latency
 * (a network answers seconds later, docs/architecture.md "The sim network"):
 * node-smpp transceivers on two edges submit far more messages than the
 * submit windows, the connector's slots, the sim's held answers and the
 * deliver_sm windows hold, and every ESME_ROK gets its DLR (a count, not a
 * time). Then the connector is killed (kill -9) while the sim owes answers:
 * the restarted connector gives every one of them.
 */
import { StreamName, simConsumerName } from '@smsgw/nats';
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
    accounts: ['burst', 'owed'],
    password,
    env: {
      // The defaults a user gets (the test system otherwise answers at once), but a short ack wait for the
      // answers (and lane messages) a killed connector held, so that the test need not wait out the defaults.
      connector: { CONNECTOR_SIM_DELAY: '500ms-3s', CONNECTOR_SIM_ACK_WAIT: '3s', CONNECTOR_ACK_WAIT: '5s' },
    },
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(customers.map((c) => c.close().catch(() => undefined)));
  await system.close();
});

/** Binds `n` transceivers of `systemId`, alternating between the two edges. */
async function transceivers(systemId: string, n: number): Promise<SmppCustomer[]> {
  const bound: SmppCustomer[] = [];
  for (let i = 0; i < n; i++) {
    const edge = system.edges[i % 2] ?? expect.unreachable();
    const c = await bindCustomer(edge.smppPort, 'bind_transceiver', { systemId, password });
    customers.push(c);
    bound.push(c);
  }
  return bound;
}

/** Destinations the sim delivers (last digit 0..5). */
function delivered(count: number, offset = 0): string[] {
  return Array.from(
    { length: count },
    (_, i) =>
      `4512${String(offset + i)
        .padStart(6, '0')
        .slice(-5)}${String(i % 6)}`,
  );
}

/** Waits until the customers together received a DELIVRD report for each id; fails naming how many are missing. */
async function expectEveryReport(
  on: readonly SmppCustomer[],
  ids: readonly string[],
  timeoutMs: number,
): Promise<void> {
  const wanted = new Set(ids);
  const got = (): Set<string> => {
    const seen = new Set<string>();
    for (const c of on) {
      for (const r of c.reports) if (wanted.has(r.receiptedMessageId)) seen.add(r.receiptedMessageId);
    }
    return seen;
  };
  await expect
    .poll(() => got().size, { timeout: timeoutMs, interval: 100, message: `DLRs\n${system.outputs()}` })
    .toBe(wanted.size);
  for (const c of on) {
    for (const r of c.reports) {
      if (wanted.has(r.receiptedMessageId)) expect(r.text).toMatch(/ stat:DELIVRD err:000 /);
    }
  }
}

it('delivers a report for every message of a burst larger than every window', async () => {
  const sessions = await transceivers('burst', 4);
  // 4 sessions × 50 in flight, 4,000 messages: 20× the submit windows, 60× the connector's slots, 100× the
  // deliver_sm windows of the receiving sessions.
  const perSession = 1_000;
  const idsPerSession = await Promise.all(
    sessions.map((c, i) => c.submitMany(delivered(perSession, i * perSession), 50)),
  );
  const ids = idsPerSession.flat();
  expect(new Set(ids).size).toBe(4 * perSession);
  await expectEveryReport(sessions, ids, 120_000);
}, 240_000);

it('gives every answer the sim owed when the connector is killed (kill -9) and started again', async () => {
  const [tx] = await transceivers('owed', 1);
  const session = tx ?? expect.unreachable();
  const ids = await session.submitMany(delivered(600, 50_000), 50);
  // Killed while answers are owed: the accepted messages left their lanes, their answers wait in SMS_SIM.
  const owed = async (): Promise<number> => {
    const info = await system.topology.jsm.consumers.info(StreamName.sim, simConsumerName('sim'));
    return info.num_pending + info.num_ack_pending;
  };
  await expect.poll(owed, { timeout: 30_000, interval: 20 }).toBeGreaterThan(0);
  await system.connector.process.crash();
  expect(await owed()).toBeGreaterThan(0);
  await system.restart(system.connector);
  await expectEveryReport([session], ids, 120_000);
}, 240_000);
