/**
 * A rolling upgrade under load, as Kubernetes does it: three edges, the
 * router, the sim connector and two dispatchers; customers that reconnect like
 * real client software (to the next address after an unbind or a lost
 * connection) submit at a steady rate with DLRs requested, while every process
 * is stopped with SIGTERM and started again, one at a time.
 *
 * Pass: every process exits 0 on SIGTERM; no submit_sm goes unanswered; every
 * submit answered ESME_ROK gets its final DLR. Duplicates (a DLR delivered
 * twice, allowed: at least once) are counted and printed.
 *
 * Submits answered with an error status (the edge refuses a submit that
 * arrives after it sent unbind) are answers: the client retries them; they
 * are counted. CI runs it at a modest rate (ROLLING_RATE, default 60/s over
 * ROLLING_CLIENTS, default 4); `pnpm test:rolling` is a bigger run.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { StreamName, dlrConsumerName } from '@smsgw/nats';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from './support/local-system.ts';
import { ReconnectingClient, type SubmitEnd } from './support/reconnecting-client.ts';

const rate = Number(process.env['ROLLING_RATE'] ?? '60');
const clientCount = Number(process.env['ROLLING_CLIENTS'] ?? '4');
const password = 'secret12';
const systemId = 'rolling';

let system: LocalSystem;

/** Where messages wait now: each stream's count, the account's DLR consumer, the dispatchers' push outcomes. */
async function pipelineState(): Promise<Record<string, unknown>> {
  const { jsm } = system.topology;
  const streams: Record<string, number> = {};
  for (const name of Object.values(StreamName)) streams[name] = (await jsm.streams.info(name)).state.messages;
  const consumer = await jsm.consumers.info(StreamName.dlr, dlrConsumerName(systemId)).catch(() => undefined);
  const pushes = await Promise.all(
    system.dispatchers.map(async (d) =>
      (await d.process.admin('/metrics')).body
        .split('\n')
        .filter((l) => l.startsWith('dlr_dispatcher_pushes_total') || l.startsWith('dlr_dispatcher_pumped')),
    ),
  );
  return {
    streams,
    dlrConsumer: consumer && {
      pending: consumer.num_pending,
      ackPending: consumer.num_ack_pending,
      redelivered: consumer.num_redelivered,
    },
    pushes,
  };
}

beforeAll(async () => {
  system = await startLocalSystem({
    edges: 3,
    dispatchers: 2,
    accounts: [systemId],
    password,
    env: { edge: { EDGE_DRAIN_UNBIND_TIMEOUT: '2s' } },
  });
}, 90_000);

afterAll(async () => {
  await system.close();
});

it('loses no submit and no DLR while every process restarts one at a time', async () => {
  const ports = system.edges.map((e) => e.smppPort);
  const clients = Array.from(
    { length: clientCount },
    (_, i) => new ReconnectingClient({ ports, first: i, systemId, password, reconnectDelayMs: 200 }),
  );
  await expect.poll(() => clients.every((c) => c.bound), { timeout: 10_000 }).toBe(true);

  const ends: SubmitEnd[] = [];
  const inFlight = new Set<Promise<void>>();
  const control = { running: true };
  const load = (async () => {
    // A steady rate, spread over the clients; a client without a session skips its turn (counted unsent).
    const interval = 1_000 / rate;
    let n = 0;
    const started = performance.now();
    while (control.running) {
      const client = clients[n % clients.length] as ReconnectingClient;
      const job = client.submit(`4512345${String(n % 6)}`).then((end) => {
        ends.push(end);
      });
      inFlight.add(job);
      void job.finally(() => inFlight.delete(job));
      n++;
      const due = started + n * interval;
      await sleep(Math.max(0, due - performance.now()));
    }
    await Promise.all(inFlight);
  })();

  // Every process in turn, as a rolling upgrade: SIGTERM, wait for a clean exit, start again.
  const exits: string[] = [];
  for (const slot of system.slots()) {
    await sleep(1_000);
    const exit = await slot.process.stop(30_000);
    exits.push(`${slot.pod}:${String(exit.code)}`);
    await system.restart(slot);
  }
  await sleep(1_000);
  control.running = false;
  await load;

  const ok = ends.flatMap((e) => (e.kind === 'ok' ? [e.messageId] : []));
  const noAnswer = ends.filter((e) => e.kind === 'no-answer');
  const errors = ends.flatMap((e) => (e.kind === 'error' ? [e.commandStatus] : []));
  const unsent = ends.filter((e) => e.kind === 'unsent').length;
  const finals = (): Map<string, number> => {
    const all = new Map<string, number>();
    for (const c of clients) for (const [id, n] of c.finals) all.set(id, (all.get(id) ?? 0) + n);
    return all;
  };
  // Wait while reports still arrive (a bigger run leaves a backlog): stop after 20 s without progress, or 5 min.
  const deadline = Date.now() + 300_000;
  let seen = -1;
  let progressAt = Date.now();
  while (Date.now() < deadline && Date.now() - progressAt < 20_000 && ok.some((id) => !finals().has(id))) {
    const now = finals().size;
    if (now !== seen) [seen, progressAt] = [now, Date.now()];
    await sleep(250);
  }
  const got = finals();
  const missing = ok.filter((id) => !got.has(id));
  const duplicates = [...got.values()].filter((n) => n > 1).length;
  const summary = {
    submitted: ends.length - unsent,
    ok: ok.length,
    errors: errors.length,
    errorStatuses: [...new Set(errors)],
    noAnswer: noAnswer.length,
    unsentWhileReconnecting: unsent,
    dlrs: [...got.values()].reduce((a, b) => a + b, 0),
    missingDlrs: missing.length,
    duplicateDlrs: duplicates,
    binds: clients.reduce((a, c) => a + c.binds, 0),
  };
  console.log(`rolling restart: ${JSON.stringify(summary)}`);
  if (missing.length > 0) console.log(`where the missing DLRs are: ${JSON.stringify(await pipelineState())}`);
  await Promise.all(clients.map((c) => c.stop()));

  expect(exits, system.outputs()).toEqual(system.slots().map((s) => `${s.pod}:0`));
  expect(noAnswer, JSON.stringify(noAnswer.slice(0, 5))).toEqual([]);
  expect(missing.length, `${JSON.stringify(summary)}\n${system.outputs()}`).toBe(0);
  expect(ok.length).toBeGreaterThan(rate * 10);
}, 600_000);
