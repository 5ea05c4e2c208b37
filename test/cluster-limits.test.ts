/**
 * Account limits across edge pods (README "Limits across pods"): three edge
 * processes on one NATS; maxBinds holds for the account as a whole,
 * maxSubmitsPerSecond is shared by the pods in proportion to their sessions
 * (within ±10 % over a window, rebalanced when sessions go), and a failed bind
 * on one pod puts the account in back-off on the others.
 *
 * Counts, not times: the rate is read as the submits accepted among those
 * sent in a window, while every client sends well above its pod's share.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AccountStore } from '@smsgw/accounts';
import { decodeBindsValue, parseBindsKey } from '@smsgw/nats';
import { CommandStatus, connectSmpp, createPdu, type SmppSession } from '@smsgw/smpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from './support/local-system.ts';

const PASSWORD = 'clust-pw';
const RATE = 150;
const FAILURE_DELAY = '5s';

let system: LocalSystem;
let started = false;
const open: SmppSession[] = [];

beforeAll(async () => {
  system = await startLocalSystem({
    edges: 3,
    dispatchers: 0,
    accounts: ['capped', 'rated', 'guarded'],
    password: PASSWORD,
    env: { edge: { EDGE_AUTH_FAILURE_DELAY: FAILURE_DELAY } },
  });
  started = true;
  const store = new AccountStore(system.topology.kv.accounts);
  await store.update('capped', { maxBinds: 4 });
  await store.update('rated', { maxSubmitsPerSecond: RATE });
  // The edges follow the accounts bucket with a watch: give them a moment to see the updates.
  await sleep(1_000);
}, 120_000);

afterAll(async () => {
  for (const s of open) s.close();
  if (started) await system.close();
});

/** Binds a transmitter of `systemId` on edge `edge` (0..2); resolves with the bind's command_status and the session. */
async function bind(
  edge: number,
  systemId: string,
  password = PASSWORD,
): Promise<{ status: number; session: SmppSession }> {
  const port = system.edges[edge]?.smppPort ?? 0;
  const session = await connectSmpp({ host: '127.0.0.1', port });
  const response = await session.request(createPdu('bind_transmitter', { systemId, password }));
  if (response.commandStatus === CommandStatus.ESME_ROK) open.push(session);
  else session.close();
  return { status: response.commandStatus, session };
}

/** The account's sessions and submitters summed over the pods' entries in the binds bucket. */
async function clusterCounts(systemId: string): Promise<{ sessions: number; submitters: number }> {
  const kv = system.topology.kv.binds;
  const totals = { sessions: 0, submitters: 0 };
  for await (const key of await kv.keys()) {
    if (parseBindsKey(key).account !== systemId) continue;
    const entry = await kv.get(key);
    if (entry?.operation !== 'PUT') continue;
    const value = decodeBindsValue(key, entry.value);
    totals.sessions += value.sessions;
    totals.submitters += value.submitters;
  }
  return totals;
}

/** Waits until the binds bucket counts `sessions` sessions of the account. */
async function waitForSessions(systemId: string, sessions: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const counts = await clusterCounts(systemId);
    if (counts.sessions === sessions) return;
    if (Date.now() > deadline)
      throw new Error(`binds bucket shows ${counts.sessions} sessions, not ${sessions}`);
    await sleep(50);
  }
}

/** Every session sends a submit each `paceMs` for `durationMs`; returns how the submits were answered. */
async function flood(
  sessions: readonly SmppSession[],
  paceMs: number,
  durationMs: number,
): Promise<{ accepted: number; throttled: number; other: number }> {
  const start = performance.now();
  const counts = { accepted: 0, throttled: 0, other: 0 };
  const pending: Promise<void>[] = [];
  await Promise.all(
    sessions.map(async (session) => {
      while (performance.now() - start < durationMs) {
        const pdu = createPdu('submit_sm', {
          destAddrTon: 1,
          destAddrNpi: 1,
          destinationAddr: '4512345670',
          dataCoding: 0,
          shortMessage: Buffer.from('rate'),
        });
        pending.push(
          session.request(pdu, { timeout: 30_000 }).then((resp) => {
            if (resp.commandStatus === CommandStatus.ESME_ROK) counts.accepted++;
            else if (resp.commandStatus === CommandStatus.ESME_RTHROTTLED) counts.throttled++;
            else counts.other++;
          }),
        );
        await sleep(paceMs);
      }
    }),
  );
  await Promise.all(pending);
  return counts;
}

/**
 * What the account may submit in `seconds` starting from full buckets: the
 * rate for each second plus the buckets' burst (one second's worth, in all).
 */
const allowedIn = (seconds: number): number => RATE * (seconds + 1);

/** Submits answered in a flood. */
const sentOf = (c: { accepted: number; throttled: number; other: number }): number =>
  c.accepted + c.throttled + c.other;

describe('limits across three edge pods', () => {
  it('maxBinds 4 holds for the account as a whole, whichever pods the binds land on', async () => {
    const capped: SmppSession[] = [];
    for (const edge of [0, 1, 2, 0]) {
      const bound = await bind(edge, 'capped');
      expect(bound.status).toBe(CommandStatus.ESME_ROK);
      capped.push(bound.session);
    }
    await waitForSessions('capped', 4);
    // Without the shared count each pod (one or two sessions of its own) would take these.
    for (const edge of [0, 1, 2]) {
      expect((await bind(edge, 'capped')).status, `edge ${String(edge)}`).toBe(CommandStatus.ESME_RBINDFAIL);
    }
    // A session going frees a place on any pod.
    capped[1]?.close();
    await waitForSessions('capped', 3);
    expect((await bind(2, 'capped')).status).toBe(CommandStatus.ESME_ROK);
  });

  it(`maxSubmitsPerSecond ${String(RATE)} is shared by the pods within ±10 %, and rebalanced when sessions move`, async () => {
    const sessions = [
      (await bind(0, 'rated')).session,
      (await bind(1, 'rated')).session,
      (await bind(2, 'rated')).session,
    ];
    await waitForSessions('rated', 3);
    // 3 × 125/s offered for 4 s; 150/s allowed in all (50/s and a burst of 50 per pod).
    const three = await flood(sessions, 8, 4_000);
    console.log(`3 pods: ${JSON.stringify(three)}, allowed ${String(allowedIn(4))}`);
    expect(three.other).toBe(0);
    // The lower bound only where the clients offered more than allowed (a loaded machine may send less).
    expect(three.accepted).toBeGreaterThanOrEqual(Math.min(allowedIn(4), sentOf(three)) * 0.9);
    expect(three.accepted).toBeLessThanOrEqual(allowedIn(4) * 1.1);

    // The sessions of pods b and c move to pod a: it gets the whole rate (and its bucket refills meanwhile).
    sessions[1]?.close();
    sessions[2]?.close();
    const moved = [sessions[0] as SmppSession, (await bind(0, 'rated')).session];
    await waitForSessions('rated', 2);
    await sleep(1_000);
    const one = await flood(moved, 4, 4_000);
    console.log(`1 pod: ${JSON.stringify(one)}, allowed ${String(allowedIn(4))}`);
    expect(one.other).toBe(0);
    // The lower bound only where the clients offered more than allowed (a loaded machine may send less).
    expect(one.accepted).toBeGreaterThanOrEqual(Math.min(allowedIn(4), sentOf(one)) * 0.9);
    expect(one.accepted).toBeLessThanOrEqual(allowedIn(4) * 1.1);
  });

  it('a failed bind on one pod puts the account in back-off on the others', async () => {
    // The refusal itself comes after the back-off delay (5 s): the other pods are asked meanwhile.
    const wrong = bind(0, 'guarded', 'wrong');
    await sleep(1_000);
    // The right password on the other pods: refused while the back-off lasts (they never saw the failure).
    const others = await Promise.all([bind(1, 'guarded'), bind(2, 'guarded')]);
    expect(others.map((b) => b.status)).toEqual([CommandStatus.ESME_RINVPASWD, CommandStatus.ESME_RINVPASWD]);
    expect((await wrong).status).toBe(CommandStatus.ESME_RINVPASWD);
  });
});
