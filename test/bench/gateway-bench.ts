/**
 * `pnpm bench:gateway` (`./run bench:gateway`): the whole local system under
 * an SMPP load, against one edge, then raw JetStream on the same server.
 * Prints figures, never fails on them.
 *
 * Setup: a private nats-server (the local binary; SMSGW_TEST_NATS=container
 * for a container), the topology, an account `bench`, and every service
 * (edge, router, connector with the sim driver, dlr-dispatcher) as a child
 * process exactly as `smsgw start` launches them (@smsgw/cli's
 * discoverServices, serviceEnv, ServiceProcess), without TLS.
 *
 * Edge phase: K transceiver sessions of our own client (@smsgw/smpp), each
 * with W submit_sm unanswered, registered_delivery 1, to destinations the sim
 * delivers, BENCH_MESSAGES in all (or for BENCH_DURATION). Every deliver_sm
 * is answered ESME_ROK; final DLRs are matched to their submits by
 * receipted_message_id. Prints accepted submit/s (accepted ÷ time from the
 * first submit_sm to the last submit_sm_resp), submit_sm_resp p50/p99,
 * submit→DLR p50/p99 and DLRs/s (matched DLRs ÷ time from the first submit_sm
 * to the last DLR), and the most DLRs that arrived within any one second
 * (the DLR path's pace when it has a backlog). The DLR wait after the last submit_sm_resp is bounded
 * (BENCH_DLR_TIMEOUT); when not every DLR came, it prints
 * `submit→DLR: n/a (k of n DLRs arrived…)`, with the percentiles of those
 * that did. Also each process's CPU over the submits, in % of one core and
 * per accepted submit (the bench process is the load client: this shows
 * whether it is the bottleneck), and again over the DLR wait, per DLR that
 * arrived in it (the rest of the pipeline still runs then: router and
 * connector CPU there is their catching up, not DLR work).
 *
 * CPU priority (BENCH_DOWNSTREAM): on a machine with fewer cores than busy
 * processes (2 cores here, shared with nats-server and the client) the
 * router, connector and dlr-dispatcher take CPU — and nats-server time —
 * from the edge path, and the submit figure becomes the share of the
 * machine the pipeline leaves the edge (in a deployment the edge pods have
 * CPU of their own). `nice` (default): they run under SCHED_IDLE (and
 * niceness 19), still processing every message as it comes, in the CPU
 * left over — a waking edge, client or nats-server preempts them at once,
 * where on Linux 6.6+ (EEVDF) it would wait out a nice-19 task's slice;
 * `even`: as started, equal shares; `paused`: stopped (SIGSTOP)
 * from the first submit to the last submit_sm_resp, then resumed — the
 * edge's own capacity against the same server, with DLR figures that include
 * the pause.
 *
 * Raw phase: the yardstick runs under the conditions the edge had. Once the
 * pipeline has drained (SMS_SUBMIT, SMS_ROUTE and SMS_STATUS empty), the
 * bench process publishes as many SubmitAccepted messages as the edge
 * accepted with js.publish(), K×W in flight, each as the edge would have
 * published it (under an id of its own, with the edge's headers), onto the
 * account's submit subject, on its own connection made the way the services
 * make theirs, with the downstream held as in the edge phase: router,
 * connector and dispatcher process them as they processed the edge's, and
 * take the same share of the cores and of nats-server, and K receivers bound
 * to the edge take the raw messages' DLRs as the load's transceivers took
 * theirs (the edge and the dispatcher deliver them meanwhile). The ratio then
 * measures what the edge costs over a bare publish into the same
 * running system. For reference it also prints what one process gets from
 * an otherwise idle server (a scratch stream configured like SMS_SUBMIT that
 * nothing consumes), with and without nats.js' `noAsyncTraces` (no Error
 * with a stack per request, as the edge's publisher avoids).
 *
 * Rounds: one edge phase and one raw phase, back to back, make a round
 * (each waits for the pipeline to drain first); after a warm-up round of
 * BENCH_WARMUP messages (default 2000, not counted: JIT, connections, caches),
 * BENCH_ROUNDS of them (default 5) run and each prints its two rates and
 * their ratio. On two shared cores one phase of a few seconds varies by tens
 * of percent from round to round, so the figures are medians over the rounds
 * (latencies and CPU pooled over all of them), and the last line is
 * `edge vs raw jetstream: <x>`, the median of the rounds' ratios (accepted
 * submit/s ÷ the pipeline raw phase's publish/s, 2 decimals).
 *
 * Settings (environment): BENCH_SESSIONS (K, default 4), BENCH_WINDOW (W,
 * default 50), BENCH_MESSAGES (default 20000), BENCH_DURATION (e.g. 30s;
 * overrides BENCH_MESSAGES; per round), BENCH_ROUNDS (default 5),
 * BENCH_WARMUP (default 2000), BENCH_DLR_TIMEOUT (default 30s),
 * BENCH_DOWNSTREAM (nice, even or paused; default nice), CONNECTOR_SIM_DELAY (the
 * sim's latency; default: the user's, 500ms-3s), BENCH_DELIVER_WINDOW (the
 * deliver_sm window; default: the user's, 10), LOG_LEVEL (the services', default warn;
 * their lines go to stderr), BENCH_EDGE_PROFILE_DIR (the edge runs with
 * --cpu-prof and writes a .cpuprofile there when it stops; BENCH_PROFILE_SERVICES,
 * e.g. `edge,dlr-dispatcher`, names the services profiled, default edge).
 */
import { formatServiceLine, summarizeLatency } from '@smsgw/cli';
import { StreamName, submitSubject } from '@smsgw/nats';
import { loadBenchConfig } from './bench-config.ts';
import { benchServiceSettings, settingsLine } from './bench-settings.ts';
import { BenchPhases, submitAcceptedBytes, type EdgeRound, type RawPipelineRound } from './bench-phases.ts';
import { Downstream } from './downstream.ts';
import { median } from './median.ts';
import { startLocalSystem } from './local-system.ts';
import { formatCpuPerMessage, formatCpuShares, formatCpuSum, poolCpuShares } from './process-cpu.ts';
import type { RawResult } from './raw-publish.ts';
import { waitForIdlePipeline } from './pipeline-idle.ts';

const config = loadBenchConfig();
const K = config.BENCH_SESSIONS;
const W = config.BENCH_WINDOW;
const systemId = 'bench';
const password = 'bench-pw';

const ms = (v: number): string => v.toFixed(1);

const settings = benchServiceSettings(config, W);
const profileDir = config.BENCH_EDGE_PROFILE_DIR;
const profiled = new Set(config.BENCH_PROFILE_SERVICES.split(',').map((name) => name.trim()));
const system = await startLocalSystem({
  systemId,
  password,
  maxBinds: Math.max(10, K),
  env: { ...process.env, ...settings.env },
  envFor: (service) =>
    profileDir !== undefined && profiled.has(service)
      ? {
          NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --cpu-prof --cpu-prof-dir=${profileDir}`.trim(),
        }
      : undefined,
  out: (line) => {
    console.error(line);
  },
  readyTimeoutMs: 60_000,
});
// ServiceProcess forwards lines already formatted; this keeps the bench's own notes in the same shape.
const note = (line: string): void => {
  console.error(formatServiceLine('bench', line, false));
};
const downstream = new Downstream(
  system.services.flatMap((s) => (s.entry.name === 'edge' || s.pid === undefined ? [] : [s.pid])),
  config.BENCH_DOWNSTREAM,
  note,
);
const watched = [
  { label: 'bench client', pid: undefined },
  ...system.services.map((s) => ({ label: s.entry.name, pid: s.pid })),
  { label: 'nats-server', pid: system.nats.pid },
];
// Where the load's sessions, and the raw phase's receivers, bind.
const sessions = { host: '127.0.0.1', port: system.smppPort, systemId, password, sessions: K, window: W };
const phases = new BenchPhases({ system, downstream, watched, sessions, config });
const waitForIdle = (): Promise<void> =>
  waitForIdlePipeline(
    system.topology.jsm,
    [StreamName.submit, StreamName.route, StreamName.status],
    120_000,
    note,
  );

const failedNote = (r: RawResult): string =>
  r.failed === 0 ? '' : `, ${r.failed} failed (${r.firstError ?? '?'})`;
const rates = (values: readonly number[]): string => values.map((v) => v.toFixed(0)).join(', ');

try {
  const load =
    config.BENCH_DURATION === undefined ? `${config.BENCH_MESSAGES} messages` : `${config.BENCH_DURATION} ms`;
  const R = config.BENCH_ROUNDS;
  console.log(
    `gateway bench: ${K} sessions × window ${W}, ${load}, ${R} round${R === 1 ? '' : 's'}, nats-server ${system.nats.url} (${system.nats.backend}), downstream ${config.BENCH_DOWNSTREAM}`,
  );
  console.log(settingsLine(settings));
  if (config.BENCH_WARMUP > 0) {
    // JIT, connections, caches and the dispatcher's streams to the edge warm up outside the figures.
    note(`warm-up round: ${config.BENCH_WARMUP} messages through each phase, not counted`);
    await phases.edge(config.BENCH_WARMUP);
    await waitForIdle();
    await phases.rawPipeline(config.BENCH_WARMUP);
    await waitForIdle();
  }
  const edges: EdgeRound[] = [];
  const raws: RawPipelineRound[] = [];
  const ratios: number[] = [];
  for (let round = 1; round <= R; round++) {
    const edge = await phases.edge();
    await waitForIdle();
    const raw = await phases.rawPipeline(Math.max(1_000, edge.load.accepted));
    await waitForIdle();
    edges.push(edge);
    raws.push(raw);
    const ratio = raw.rate > 0 ? edge.rate / raw.rate : 0;
    ratios.push(ratio);
    console.log(
      `round ${round}/${R}: accepted submit/s ${edge.rate.toFixed(0)}, raw publish/s ${raw.rate.toFixed(0)}${failedNote(raw)}, edge vs raw ${ratio.toFixed(2)}`,
    );
  }

  const accepted = edges.reduce((n, e) => n + e.load.accepted, 0);
  const rejected = new Map<string, number>();
  for (const e of edges)
    for (const [status, n] of e.load.rejected) rejected.set(status, (rejected.get(status) ?? 0) + n);
  const rejectedNote = [...rejected].map(([status, n]) => `, ${n} ${status}`).join('');
  const edgeRates = edges.map((e) => e.rate);
  const acceptedRate = median(edgeRates);
  console.log(
    `accepted submit/s: ${acceptedRate.toFixed(0)} (median of ${rates(edgeRates)}; ${accepted} accepted${rejectedNote})`,
  );
  const resp = summarizeLatency(edges.flatMap((e) => e.load.respLatencyMs));
  console.log(
    `submit_sm_resp p50/p99: ${resp === undefined ? 'n/a' : `${ms(resp.p50)} / ${ms(resp.p99)} ms`}`,
  );
  const dlrLatencies = edges.flatMap((e) => e.load.dlrLatencyMs);
  const dlr = summarizeLatency(dlrLatencies);
  if (dlr !== undefined && dlrLatencies.length === accepted) {
    console.log(`submit→DLR p50/p99: ${ms(dlr.p50)} / ${ms(dlr.p99)} ms`);
  } else {
    const some = dlr === undefined ? '' : `; p50/p99 of those: ${ms(dlr.p50)} / ${ms(dlr.p99)} ms`;
    console.log(`submit→DLR: n/a (${dlrLatencies.length} of ${accepted} DLRs arrived${some})`);
  }
  const dlrRates = edges.flatMap((e) =>
    e.load.dlrLatencyMs.length === 0 || e.load.dlrSeconds <= 0
      ? []
      : [e.load.dlrLatencyMs.length / e.load.dlrSeconds],
  );
  console.log(
    `DLRs/s: ${dlrRates.length === 0 ? 'n/a' : `${median(dlrRates).toFixed(0)} (median of ${rates(dlrRates)})`}`,
  );
  console.log(`DLRs/s peak (best 1 s): ${Math.max(...edges.map((e) => e.load.dlrPeakPerSecond))}`);
  // CPU pooled over the rounds' phases: seconds summed, divided by the summed wall time or message count.
  const submitCpu = poolCpuShares(edges.map((e) => e.submitCpu));
  console.log(`cpu during the submits (% of one core): ${formatCpuShares(submitCpu)}`);
  console.log(`cpu per accepted submit: ${formatCpuPerMessage(submitCpu, accepted)}`);
  // After the last submit_sm_resp: the rest of the pipeline (router, connector) and the DLR path.
  const dlrCpu = poolCpuShares(edges.map((e) => e.dlrCpu));
  const lateDlrs = edges.reduce((n, e) => n + e.lateDlrs, 0);
  console.log(`cpu during the DLR wait (% of one core): ${formatCpuShares(dlrCpu)}`);
  console.log(`cpu per DLR in the DLR wait (${lateDlrs} DLRs): ${formatCpuPerMessage(dlrCpu, lateDlrs)}`);
  // A message's whole cost: its submit and its DLR, every process, over the submits and the DLR wait together.
  const wholeCpu = poolCpuShares([submitCpu, dlrCpu]);
  console.log(
    `cpu per message, submit + DLR (${accepted} messages): ${formatCpuPerMessage(wholeCpu, accepted)}; sum ${formatCpuSum(wholeCpu, accepted)}`,
  );

  const payload = submitAcceptedBytes(system, systemId);
  const published = raws.reduce((n, r) => n + r.published, 0);
  const rawRates = raws.map((r) => r.rate);
  const rawDlrs = raws.reduce((n, r) => n + r.dlrs, 0);
  console.log(
    `raw jetstream (pipeline running, same server): js.publish() to ${submitSubject(systemId)}, ${K * W} in flight, ${payload.length}-byte SubmitAccepted, ${published} publishes`,
  );
  console.log(
    `raw publish/s: ${median(rawRates).toFixed(0)} (median of ${rates(rawRates)}; ${rawDlrs} of their DLRs delivered to ${K} receivers)`,
  );
  const rawCpu = poolCpuShares(raws.map((r) => r.cpu));
  console.log(`cpu during the raw publishes (% of one core): ${formatCpuShares(rawCpu)}`);
  console.log(`cpu per raw publish: ${formatCpuPerMessage(rawCpu, published)}`);
  // For reference: one process against an otherwise idle server, with and without nats.js' Error with a
  // stack trace per request.
  const messages = Math.max(1_000, Math.round(accepted / R));
  const client = [watched[0], watched[watched.length - 1]].filter((w) => w !== undefined);
  const idle = await phases.raw({ kind: 'scratch', payload }, messages, false, client);
  const lean = await phases.raw({ kind: 'scratch', payload }, messages, true, client);
  const versus = (r: number): string => (r > 0 ? (acceptedRate / r).toFixed(2) : 'n/a');
  console.log(
    `raw publish/s, services idle, scratch stream: ${idle.rate.toFixed(0)} (cpu per publish: ${formatCpuPerMessage(idle.cpu, idle.published)}${failedNote(idle)}; edge vs that: ${versus(idle.rate)})`,
  );
  console.log(
    `raw publish/s, services idle, scratch stream, noAsyncTraces: ${lean.rate.toFixed(0)} (cpu per publish: ${formatCpuPerMessage(lean.cpu, lean.published)}${failedNote(lean)}; edge vs that: ${versus(lean.rate)})`,
  );
  // The median of the rounds' ratios: each round's edge and raw phases ran back to back, under the same
  // conditions; the median keeps one disturbed round from deciding the figure.
  console.log(
    `edge vs raw jetstream: ${median(ratios).toFixed(2)} (median of ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
  );
} finally {
  downstream.release();
  await system.stop(10_000);
  if (profileDir !== undefined) note(`CPU profiles of ${[...profiled].join(', ')} written to ${profileDir}`);
}
