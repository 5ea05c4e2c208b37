/**
 * NATS cluster faults under load, as production meets them: three clustered
 * nats-server nodes (@smsgw/testing startNatsCluster), every stream and bucket
 * created at 3 replicas, two edges, the router, the sim connector (answers in
 * 200 ms–1 s, kept in SMS_SIM) and a dispatcher; node-smpp transceivers submit
 * at a steady rate with final receipts requested while one fault runs:
 *
 * - kill-submit-leader: SIGKILL the node leading SMS_SUBMIT, restart it later;
 * - kill-idle-node: SIGKILL a node leading no stream (others step down first);
 * - hang-submit-leader: SIGSTOP the SMS_SUBMIT leader, SIGCONT it later.
 *
 * Pass: every submit_sm answered; no ESME_RSYSERR (leader elections, no
 * responders, timeouts and a missing quorum are transient: ESME_RMSGQFUL);
 * after the load, a probe submit from each client is accepted (sent again
 * while refused, for up to a minute);
 * every ESME_ROK gets its final DLR; no message sent to the network a second
 * time except after a send whose outcome was unknown (the sim's
 * smsgw_connector_sim_accepted_total: `repeat` ≤ `unknown`, the resend no
 * design avoids, as with an SMSC's lost submit_sm_resp); every service ready
 * again without a restart. Each scenario prints a row of the table in
 * docs/operations.md ("Measured").
 *
 * CI runs the SMS_SUBMIT leader's kill and hang at 100 msg/s over 4 clients
 * for 20 s with the node down or hung 8 s (the hang only on nats-server 2.10
 * or later: knownServerFault); `./run test:chaos` runs all three faults
 * bigger, on every server. When DLRs are missing, the failure prints every stream and
 * consumer (where they wait). CHAOS_RATE,
 * CHAOS_CLIENTS, CHAOS_LOAD_SECONDS, CHAOS_DOWN_SECONDS and CHAOS_FAULTS
 * (comma-separated) size it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager } from '@nats-io/jetstream';
import { StreamName } from '@smsgw/nats';
import { CommandStatus, commandStatusName } from '@smsgw/smpp';
import { startNatsCluster, type NatsClusterHandle } from '@smsgw/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bindChaosCustomer, type ChaosCustomer, type ChaosSubmit } from './support/chaos-customer.ts';
import { startLocalSystem, type LocalSystem } from './support/local-system.ts';
import { parsePrometheusText } from './support/prometheus-text.ts';

const FAULTS = ['kill-submit-leader', 'kill-idle-node', 'hang-submit-leader'] as const;
type Fault = (typeof FAULTS)[number];

const rate = Number(process.env['CHAOS_RATE'] ?? '100');
const clientCount = Number(process.env['CHAOS_CLIENTS'] ?? '4');
const loadSeconds = Number(process.env['CHAOS_LOAD_SECONDS'] ?? '20');
const downSeconds = Number(process.env['CHAOS_DOWN_SECONDS'] ?? '8');
/** Faults asked for by name run on every server; the default list skips those a server is known to fail (below). */
const faultsNamed = process.env['CHAOS_FAULTS'] !== undefined;
const faults = (process.env['CHAOS_FAULTS'] ?? 'kill-submit-leader,hang-submit-leader')
  .split(',')
  .map((f) => f.trim())
  .filter((f): f is Fault => (FAULTS as readonly string[]).includes(f));
/** Seconds of load before the fault. */
const FAULT_AT_S = 4;
/** The longest ack wait of the pipeline (the DLR consumers', 60 s) and some: a stall shorter than this is not a loss. */
const DLR_NO_PROGRESS_MS = 75_000;
const password = 'secret12';
const systemId = 'chaos';

/**
 * Why a fault of the default list does not run against this server, or undefined. nats-server 2.9
 * acknowledged submits it then lost in 4 of about 90 hang runs: the hung leader, on SIGCONT, answers
 * publishes with sequence numbers the new leader gave to other messages (docs/operations.md, "Acknowledged
 * messages lost by nats-server 2.9"). That measures the server, not smsgw; `./run test:chaos` names the
 * faults and so runs the hang on every server.
 */
function knownServerFault(fault: Fault, version: string | undefined): string | undefined {
  if (fault !== 'hang-submit-leader' || faultsNamed) return undefined;
  const [major = 0, minor = 0] = (version ?? '').split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 10)
    ? undefined
    : `nats-server ${version ?? '?'} loses acknowledged messages after a hung leader resumes (CHAOS_FAULTS=${fault} runs it)`;
}

let cluster: NatsClusterHandle;
let system: LocalSystem;
const rows: string[] = [];

beforeAll(async () => {
  cluster = await startNatsCluster();
  system = await startLocalSystem({
    edges: 2,
    dispatchers: 1,
    accounts: [systemId],
    password,
    cluster: { handle: cluster, replicas: 3 },
    env: {
      // A network that answers later, from SMS_SIM: what it was sent is counted (sim_accepted_total).
      connector: { CONNECTOR_SIM_DELAY: '200ms-1s', CONNECTOR_PULL_EXPIRES: '5s' },
      router: { ROUTER_PULL_EXPIRES: '5s' },
      // The production timings, not the system tests' short ones: the recovery measured is production's.
      edge: { EDGE_DELIVER_TIMEOUT: '10s' },
      'dlr-dispatcher': {
        DLR_PULL_EXPIRES: '5s',
        DLR_PUSH_PULL_EXPIRES: '5s',
        DLR_ACK_WAIT: '30s',
        DLR_ACCOUNT_ACK_WAIT: '60s',
        DLR_PUSH_TIMEOUT: '30s',
        DLR_PUSH_RETRY_DELAY_MAX: '15s',
        DLR_EDGE_RECONNECT_MAX: '5s',
      },
    },
  });
}, 120_000);

afterAll(async () => {
  console.log(
    [
      `NATS cluster chaos: ${clientCount} transceivers at ${rate} msg/s for ${loadSeconds} s, a node down or hung ${downSeconds} s`,
      '| fault | ESME_ROK | errors | lost | duplicate DLRs | submits refused for | DLRs stalled | sent twice (after an unknown outcome) |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
  );
  // CHAOS_SHOW_LOGS=1: each service's last warnings and errors, to see where time went.
  if (process.env['CHAOS_SHOW_LOGS'] === '1') console.log(system.outputs());
  await system.close();
  await cluster.stop();
});

/** Every stream has a leader and every node runs: the state a scenario starts from. */
async function settled(): Promise<void> {
  await cluster.waitReady(60_000);
  await expect
    .poll(async () => (await cluster.streamLeaders()).size, { timeout: 60_000, interval: 500 })
    .toBeGreaterThanOrEqual(Object.keys(StreamName).length + 3);
}

/** A node that leads no stream: a node's streams are stepped down until it leads none. */
async function idleNode(): Promise<number> {
  const leaders = await cluster.streamLeaders();
  const leading = new Set(leaders.values());
  const free = cluster.nodes.findIndex((_, i) => !leading.has(i));
  if (free >= 0) return free;
  const target = cluster.nodes.length - 1;
  await expect
    .poll(
      async () => {
        const now = await cluster.streamLeaders();
        const led = [...now].filter(([, node]) => node === target).map(([stream]) => stream);
        for (const stream of led) {
          await system.nc
            .request(`$JS.API.STREAM.LEADER.STEPDOWN.${stream}`, '', { timeout: 5_000 })
            .catch(() => undefined);
        }
        return led.length;
      },
      { timeout: 60_000, interval: 2_000 },
    )
    .toBe(0);
  return target;
}

/** The connector's sim_accepted_total by outcome. */
async function simAccepted(): Promise<{ repeat: number; unknown: number }> {
  const metrics = parsePrometheusText((await system.connector.process.admin('/metrics')).body);
  return {
    repeat: metrics.value('smsgw_connector_sim_accepted_total', { outcome: 'repeat' }) ?? 0,
    unknown: metrics.value('smsgw_connector_sim_accepted_total', { outcome: 'unknown' }) ?? 0,
  };
}

/** Every stream's depth and every consumer's backlog: where missing DLRs wait when a run fails. */
async function pipelineState(): Promise<string> {
  const jsm = await jetstreamManager(system.nc, { timeout: 10_000 });
  const lines: string[] = [];
  try {
    for await (const stream of jsm.streams.list()) {
      const s = stream.state;
      lines.push(
        `${stream.config.name}: ${s.messages} msgs, seq ${s.first_seq}..${s.last_seq}, leader ${stream.cluster?.leader ?? '?'}`,
      );
      for await (const c of jsm.consumers.list(stream.config.name)) {
        lines.push(
          `  ${c.name}: pending ${c.num_pending}, ack pending ${c.num_ack_pending}, redelivered ${c.num_redelivered}, waiting ${c.num_waiting}, delivered ${c.delivered.stream_seq}, ack floor ${c.ack_floor.stream_seq}, leader ${c.cluster?.leader ?? '?'}`,
        );
      }
    }
  } catch (e) {
    lines.push(`(listing failed: ${String(e)})`);
  }
  return lines.join('\n');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** How long a probe submit is sent again while refused (every PROBE_EVERY_MS). */
const PROBE_FOR_MS = 60_000;
const PROBE_EVERY_MS = 500;

/** Submits until accepted (for at most PROBE_FOR_MS), each attempt recorded in `ends`; the last attempt. */
async function probe(client: ChaosCustomer, n: number, ends: ChaosSubmit[]): Promise<ChaosSubmit> {
  const until = performance.now() + PROBE_FOR_MS;
  for (;;) {
    const end = await client.submit('4512345670', 30_000, `chaos probe ${String(n)}`);
    ends.push(end);
    if (end.kind !== 'error' || performance.now() > until) return end;
    await sleep(PROBE_EVERY_MS);
  }
}

/** The sim's longest answer (CONNECTOR_SIM_DELAY below) and some: a DLR not here by then is overdue. */
const DUE_AFTER_MS = 1_500;

/**
 * "DLRs stalled": the longest time in which no DLR arrived although one was overdue (its submit was
 * accepted more than DUE_AFTER_MS earlier), and when the last DLR came after the last submit.
 */
function describeStall(ends: readonly ChaosSubmit[], got: Map<string, number[]>, lastSubmit: number): string {
  const accepted = ends.flatMap((e) =>
    e.kind === 'ok' ? [{ due: e.at + DUE_AFTER_MS, id: e.messageId }] : [],
  );
  const arrivals = [...got.values()].map((at) => Math.min(...at)).sort((a, b) => a - b);
  const arrivalOf = (id: string): number => Math.min(...(got.get(id) ?? [Number.POSITIVE_INFINITY]));
  let stall = 0;
  for (let i = 1; i < arrivals.length; i++) {
    const [from, to] = [arrivals[i - 1] ?? 0, arrivals[i] ?? 0];
    if (to - from < 1_000) continue;
    // Overdue during the gap: due before its end and not arrived before it.
    const overdueSince = Math.min(
      ...accepted.filter((m) => m.due < to && arrivalOf(m.id) >= to).map((m) => Math.max(from, m.due)),
    );
    if (Number.isFinite(overdueSince)) stall = Math.max(stall, to - overdueSince);
  }
  const last = seconds(Math.max(0, (arrivals.at(-1) ?? lastSubmit) - lastSubmit));
  return stall < 1_000
    ? `no (last ${last} after the last submit)`
    : `${seconds(stall)}; last ${last} after the last submit`;
}

for (const fault of faults) {
  it(`answers, delivers and sends once while NATS suffers: ${fault}`, async (ctx) => {
    const serverFault = knownServerFault(fault, system.nc.info?.version);
    if (serverFault !== undefined) {
      rows.push(`| ${fault} | skipped: ${serverFault} |`);
      ctx.skip();
      return;
    }
    await settled();
    const target =
      fault === 'kill-idle-node' ? await idleNode() : await cluster.streamLeader(StreamName.submit);
    expect(target, 'the fault target').toBeDefined();
    const node = target as number;
    const clients: ChaosCustomer[] = await Promise.all(
      Array.from({ length: clientCount }, (_, i) =>
        bindChaosCustomer((system.edges[i % system.edges.length] ?? system.edges[0])!.smppPort, {
          systemId,
          password,
        }),
      ),
    );
    const before = await simAccepted();
    const ends: ChaosSubmit[] = [];
    const started = performance.now();
    const control = { running: true };
    const load = (async () => {
      const inFlight = new Set<Promise<void>>();
      const interval = 1_000 / rate;
      for (let n = 0; control.running; n++) {
        const client = clients[n % clients.length] as ChaosCustomer;
        const job = client.submit(`4512345${String(n % 6)}`, 30_000).then((end) => {
          ends.push(end);
        });
        inFlight.add(job);
        void job.finally(() => inFlight.delete(job));
        await sleep(Math.max(0, started + (n + 1) * interval - performance.now()));
      }
      await Promise.all(inFlight);
    })();

    await sleep(FAULT_AT_S * 1000);
    const faultAt = performance.now();
    if (fault === 'hang-submit-leader') await cluster.hang(node);
    else await cluster.kill(node);
    await sleep(downSeconds * 1000);
    if (fault === 'hang-submit-leader') await cluster.resume(node);
    else await cluster.restart(node);
    const undoneAt = performance.now();
    await sleep(Math.max(0, started + loadSeconds * 1000 - performance.now()));
    control.running = false;
    await load;
    // The gateway takes submits again by itself: one more from each client, sent again while refused.
    const probes = await Promise.all(clients.map((client, i) => probe(client, i, ends)));
    const lastSubmit = performance.now();

    const ok = ends.flatMap((e) => (e.kind === 'ok' ? [e.messageId] : []));
    const finals = (): Map<string, number[]> => {
      const all = new Map<string, number[]>();
      for (const c of clients) for (const [id, at] of c.finals) all.set(id, [...(all.get(id) ?? []), ...at]);
      return all;
    };
    let seen = -1;
    let progressAt = Date.now();
    while (Date.now() - progressAt < DLR_NO_PROGRESS_MS && ok.some((id) => !finals().has(id))) {
      const now = finals().size;
      if (now !== seen) [seen, progressAt] = [now, Date.now()];
      await sleep(250);
    }
    const got = finals();
    const missing = ok.filter((id) => !got.has(id));
    const duplicates = [...got.values()].filter((at) => at.length > 1).length;
    const errors = ends.flatMap((e) => (e.kind === 'error' ? [e] : []));
    const noAnswer = ends.filter((e) => e.kind === 'no-answer').length;
    const byStatus = new Map<string, number>();
    for (const e of errors) {
      const name = commandStatusName(e.commandStatus);
      byStatus.set(name, (byStatus.get(name) ?? 0) + 1);
    }
    const refusedFor =
      errors.length === 0
        ? '–'
        : seconds(Math.max(...errors.map((e) => e.at)) - Math.min(...errors.map((e) => e.at)));
    const stalled = describeStall(ends, got, lastSubmit);
    const after = await simAccepted();
    const repeat = after.repeat - before.repeat;
    const unknown = after.unknown - before.unknown;
    const errorText = errors.length === 0 ? '0' : [...byStatus].map(([name, n]) => `${n} ${name}`).join(', ');
    rows.push(
      `| ${fault} (node n${node + 1}, ${seconds(undoneAt - faultAt)}) | ${ok.length} | ${errorText}${noAnswer > 0 ? `, ${noAnswer} unanswered` : ''} | ${missing.length} | ${duplicates} | ${refusedFor} | ${stalled} | ${repeat} (${unknown}) |`,
    );
    await Promise.all(clients.map((c) => c.close()));

    // Every service ready again, by itself: none was restarted, none exited.
    for (const slot of system.slots()) {
      expect(slot.process.running, `${slot.pod} still runs\n${system.outputs()}`).toBe(true);
      await slot.process.waitReady(60_000);
    }
    const summary = rows.at(-1) ?? '';
    expect(noAnswer, summary).toBe(0);
    expect(
      errors.filter((e) => e.commandStatus !== CommandStatus.ESME_RMSGQFUL),
      `${summary}\n${system.outputs()}`,
    ).toEqual([]);
    expect(
      missing.length,
      `${summary}\n${missing.length > 0 ? `missing: ${missing.slice(0, 20).join(' ')}\n${await pipelineState()}` : ''}\n${system.outputs()}`,
    ).toBe(0);
    expect(repeat, summary).toBeLessThanOrEqual(unknown);
    // How many submits were refused is a figure of the table, not a pass mark: it is the time NATS
    // takes to elect leaders, which a loaded machine stretches (in CI once to 19 s of a 20 s load).
    expect(
      probes.map((p) => p.kind),
      summary,
    ).toEqual(probes.map(() => 'ok'));
  }, 600_000);
}
