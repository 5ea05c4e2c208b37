/**
 * bench:sustained — the highest rate the whole gateway sustains end to end,
 * submit to DLR, with the settings a user gets (`smsgw start`'s defaults: the
 * sim answers in 500 ms–3 s, deliver window 10).
 *
 * The local system as bench:gateway starts it (every service, no TLS, all at
 * normal priority), BENCH_SESSIONS transceivers of our client with
 * BENCH_WINDOW in flight each; each step offers one rate (paced submits) for
 * BENCH_STEP_DURATION and waits for the DLRs; sustained-step.ts judges it and
 * searches: doubling from 500 msg/s until a step fails, then two bisections.
 * BENCH_RATE runs that one rate instead. Prints each step and ends with
 * `sustained submit→DLR: <n> msg/s`. Figures, not pass/fail.
 */
import { formatServiceLine } from '@smsgw/cli';
import { StreamName } from '@smsgw/nats';
import { loadBenchConfig } from './bench-config.ts';
import { settingsLine } from './bench-settings.ts';
import { BENCH_ACCOUNT, startDefaultSystem } from './default-system.ts';
import { waitForIdlePipeline } from './pipeline-idle.ts';
import { formatCpuPerMessage, formatCpuSum, startCpuWatch } from './process-cpu.ts';
import { runLoad } from './smpp-load.ts';
import { RateSearch, judgeStep } from './sustained-step.ts';

const config = loadBenchConfig();
const K = config.BENCH_SESSIONS;
const W = config.BENCH_WINDOW;
const { systemId, password } = BENCH_ACCOUNT;
const durationMs = config.BENCH_STEP_DURATION;

const { system, settings, watched, simMaxMs } = await startDefaultSystem(config);
const note = (line: string): void => {
  console.error(formatServiceLine('bench', line, false));
};

try {
  console.log(
    `sustained bench: ${K} sessions × window ${W}, ${durationMs} ms per rate, nats-server ${system.nats.url} (${system.nats.backend})`,
  );
  console.log(settingsLine(settings));
  const search =
    config.BENCH_RATE === undefined
      ? new RateSearch({ start: 500, max: 64_000, refinements: 2, step: 50 })
      : new RateSearch({ start: config.BENCH_RATE, max: config.BENCH_RATE, refinements: 0, step: 1 });
  for (let rate = search.next(); rate !== undefined; rate = search.next()) {
    const watch = startCpuWatch(watched);
    const load = await runLoad({
      host: '127.0.0.1',
      port: system.smppPort,
      systemId,
      password,
      sessions: K,
      window: W,
      messages: Number.POSITIVE_INFINITY,
      durationMs,
      ratePerSecond: rate,
      dlrTimeoutMs: simMaxMs + 30_000,
    });
    const cpu = watch.stop();
    const verdict = judgeStep({
      offered: rate,
      durationMs,
      accepted: load.accepted,
      dlrLatencyMs: load.dlrLatencyMs,
      dlrArrivalsMs: load.dlrArrivalsMs,
      simMaxMs,
    });
    search.record(rate, verdict.passed);
    const p99 = verdict.p99Ms === undefined ? 'n/a' : `${verdict.p99Ms.toFixed(0)} ms`;
    console.log(
      `offered ${rate}/s: accepted/s ${verdict.acceptedPerSecond.toFixed(0)}, DLRs/s ${verdict.dlrsPerSecond.toFixed(0)}, submit→DLR p99 ${p99}: ${verdict.passed ? 'sustained' : `not sustained (${verdict.why ?? '?'})`}`,
    );
    console.log(
      `  cpu per message (submit + DLR): ${formatCpuPerMessage(cpu, load.accepted)}; sum ${formatCpuSum(cpu, load.accepted)}`,
    );
    await waitForIdlePipeline(
      system.topology.jsm,
      [StreamName.submit, StreamName.route, StreamName.sim, StreamName.status, StreamName.dlr],
      120_000,
      note,
    );
  }
  console.log(`sustained submit→DLR: ${search.sustained} msg/s`);
} finally {
  await system.stop(10_000);
}
