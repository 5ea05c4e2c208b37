/**
 * bench:burst — the burst a customer on the npm `smpp` package (node-smpp,
 * its default session options) sends, against the gateway with the defaults
 * a user gets (`smsgw start`'s: the sim answers in 500 ms–3 s, deliver window
 * 10): BENCH_SESSIONS transceivers (4) × BENCH_WINDOW in flight (50),
 * BENCH_MESSAGES submits (20,000) with registered_delivery 1 to numbers the
 * sim delivers. Prints accepted submit/s, when the last submit_sm_resp came,
 * how many DLRs arrived within 30 s of it (plus the sim's longest latency),
 * when the last DLR came, submit→DLR p50/p99, and each process's CPU per
 * message with the sum. The submits leave data_coding to node-smpp (it sends
 * IA5, 1, for ASCII text; the edge carries it as GSM-7). Figures, not pass/fail.
 */
import { performance } from 'node:perf_hooks';
import smpp from 'smpp';
import { formatServiceLine, summarizeLatency } from '@smsgw/cli';
import { loadBenchConfig } from './bench-config.ts';
import { settingsLine } from './bench-settings.ts';
import { BENCH_ACCOUNT, startDefaultSystem } from './default-system.ts';
import { formatCpuPerMessage, formatCpuSum, startCpuWatch } from './process-cpu.ts';

const config = loadBenchConfig();
const K = config.BENCH_SESSIONS;
const W = config.BENCH_WINDOW;
const N = config.BENCH_MESSAGES;
const { systemId, password } = BENCH_ACCOUNT;
const graceMs = 30_000;

const { system, settings, watched, simMaxMs } = await startDefaultSystem(config);

/** A bound node-smpp transceiver with its default options, answering every deliver_sm. */
async function transceiver(onReceipt: (id: string, at: number) => void): Promise<smpp.Session> {
  const session = smpp.connect({ url: `smpp://127.0.0.1:${String(system.smppPort)}` });
  session.on('error', (err: unknown) => {
    console.error(formatServiceLine('bench', `node-smpp session error: ${String(err)}`, false));
  });
  await new Promise((resolve) => session.once('connect', resolve));
  session.on('deliver_sm', (pdu: smpp.PDU) => {
    session.send(pdu.response());
    const id = pdu['receipted_message_id'];
    if (typeof id === 'string') onReceipt(id.replace(/\0+$/, ''), performance.now());
  });
  const bound = await new Promise<smpp.PDU>((resolve) => {
    session.bind_transceiver({ system_id: systemId, password }, resolve);
  });
  if (bound.command_status !== 0) throw new Error(`bind refused: ${String(bound.command_status)}`);
  return session;
}

try {
  console.log(`burst bench: node-smpp, ${K} transceivers × window ${W}, ${N} submits`);
  console.log(settingsLine(settings));
  const sentAt = new Map<string, number>();
  const early = new Map<string, number>();
  const dlrAt: number[] = [];
  const dlrLatencyMs: number[] = [];
  const record = (id: string, at: number): void => {
    const sent = sentAt.get(id);
    if (sent === undefined) {
      early.set(id, at);
      return;
    }
    sentAt.delete(id);
    dlrAt.push(at);
    dlrLatencyMs.push(at - sent);
  };
  const sessions = await Promise.all(Array.from({ length: K }, () => transceiver(record)));
  const watch = startCpuWatch(watched);
  let next = 0;
  let accepted = 0;
  let refused = 0;
  let lastRespAt = 0;
  const started = performance.now();
  const worker = async (session: smpp.Session): Promise<void> => {
    while (next < N) {
      const i = next++;
      const sent = performance.now();
      const resp = await new Promise<smpp.PDU>((resolve) => {
        session.submit_sm(
          {
            source_addr: 'smsgw',
            destination_addr: `451234567${String(i % 6)}`,
            registered_delivery: 1,
            short_message: 'Hello from the smsgw burst bench',
          },
          resolve,
        );
      });
      lastRespAt = performance.now();
      if (resp.command_status !== 0) {
        refused++;
        continue;
      }
      accepted++;
      const id = resp['message_id'] as string;
      const at = early.get(id);
      if (at === undefined) sentAt.set(id, sent);
      else {
        early.delete(id);
        sentAt.set(id, sent);
        record(id, at);
      }
    }
  };
  await Promise.all(sessions.flatMap((s) => Array.from({ length: W }, () => worker(s))));
  const deadline = lastRespAt + graceMs + simMaxMs;
  while (dlrAt.length < accepted && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const cpu = watch.stop();
  const submitSeconds = (lastRespAt - started) / 1000;
  const inTime = dlrAt.filter((at) => at <= lastRespAt + graceMs + simMaxMs).length;
  const lastDlr = dlrAt.length === 0 ? undefined : Math.max(...dlrAt);
  console.log(
    `accepted submit/s: ${(accepted / submitSeconds).toFixed(0)} (${accepted} accepted, ${refused} refused, last submit_sm_resp at ${submitSeconds.toFixed(1)} s)`,
  );
  console.log(
    `DLRs within 30 s (+ the sim's ${simMaxMs} ms) of the last submit_sm_resp: ${inTime} of ${accepted}`,
  );
  console.log(
    `last DLR: ${lastDlr === undefined ? 'n/a' : `${((lastDlr - lastRespAt) / 1000).toFixed(1)} s after the last submit_sm_resp`}`,
  );
  const latency = summarizeLatency(dlrLatencyMs);
  console.log(
    `submit→DLR p50/p99: ${latency === undefined ? 'n/a' : `${latency.p50.toFixed(0)} / ${latency.p99.toFixed(0)} ms`}`,
  );
  console.log(
    `cpu per message, submit + DLR: ${formatCpuPerMessage(cpu, accepted)}; sum ${formatCpuSum(cpu, accepted)}`,
  );
  for (const s of sessions) s.close();
} finally {
  await system.stop(10_000);
}
