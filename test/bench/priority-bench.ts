/**
 * bench:priority — how much a priority-0 backlog slows a priority-3 message
 * (docs/architecture.md, "Priority end to end"), with the settings a user gets
 * (`smsgw start`'s defaults: the sim answers in 500 ms–3 s, deliver window 10)
 * and node-smpp clients of an account approved for priority 3.
 *
 * Alone: 20 priority-3 submits on an idle system, submit→DLR p50. Under
 * backlog: BENCH_SESSIONS transceivers × BENCH_WINDOW in flight submit
 * BENCH_MESSAGES (≥ 20,000) priority-0 messages; once a quarter of them are
 * accepted, 20 priority-3 submits follow one after the other from a session of
 * their own, submit→DLR p50. Prints
 * `priority: p3 under backlog / alone: <x>` (the goal is ≤ 2). A figure, not
 * pass/fail: the machine's other load shows in it.
 */
import { formatServiceLine } from '@smsgw/cli';
import { bindCustomer, type SmppCustomer } from '../support/smpp-customer.ts';
import { loadBenchConfig } from './bench-config.ts';
import { BenchError } from './bench-error.ts';
import { benchServiceSettings, settingsLine } from './bench-settings.ts';
import { startLocalSystem } from './local-system.ts';
import { median } from './median.ts';

const config = loadBenchConfig();
const K = config.BENCH_SESSIONS;
const W = config.BENCH_WINDOW;
const total = Math.max(20_000, config.BENCH_MESSAGES);
const URGENT = 20;
const systemId = 'bench';
const password = 'bench-pw';
const settings = benchServiceSettings(config, W);
const note = (line: string): void => {
  console.error(formatServiceLine('bench', line, false));
};

/** A destination the sim delivers (last digit 0..5). */
const destination = (i: number): string => `4514${String(i).padStart(7, '0')}${String(i % 6)}`;

/** When the first DLR of `id` arrived on any session (performance.now()), if it did. */
function dlrAt(sessions: readonly SmppCustomer[], id: string): number | undefined {
  for (const c of sessions) {
    const r = c.reports.find((x) => x.receiptedMessageId === id);
    if (r !== undefined) return r.receivedAt;
  }
  return undefined;
}

/** Sends URGENT priority-3 submits one after the other; resolves with each one's submit→DLR in ms. */
async function urgentLatencies(urgent: SmppCustomer, all: readonly SmppCustomer[], offset: number) {
  const sent = new Map<string, number>();
  for (let i = 0; i < URGENT; i++) {
    const at = performance.now();
    sent.set(await urgent.submit(destination(offset + i), { priority_flag: 3 }), at);
  }
  const deadline = performance.now() + config.BENCH_DLR_TIMEOUT + 600_000;
  for (;;) {
    const done: number[] = [];
    for (const [id, at] of sent) {
      const got = dlrAt(all, id);
      if (got !== undefined) done.push(got - at);
    }
    if (done.length === sent.size) return done;
    if (performance.now() > deadline) throw new BenchError('priority-3 DLRs did not all arrive');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const system = await startLocalSystem({
  systemId,
  password,
  maxBinds: K + 2,
  approvedPriorities: [1, 2, 3],
  env: { ...process.env, ...settings.env },
  out: (line) => {
    console.error(line);
  },
  readyTimeoutMs: 60_000,
});
const sessions: SmppCustomer[] = [];
try {
  console.log(settingsLine(settings));
  for (let i = 0; i <= K; i++) {
    sessions.push(await bindCustomer(system.smppPort, 'bind_transceiver', { systemId, password }));
  }
  const [urgent, ...bulk] = sessions;
  if (urgent === undefined) throw new BenchError('no session');

  const alone = median(await urgentLatencies(urgent, sessions, 9_000_000));
  note(`alone: p50 ${alone.toFixed(0)} ms`);

  let accepted = 0;
  const perSession = Math.ceil(total / K);
  const burst = Promise.all(
    bulk.map(async (c, s) => {
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < perSession) {
          const i = next++;
          await c.submit(destination(s * perSession + i));
          accepted++;
        }
      };
      await Promise.all(Array.from({ length: W }, worker));
    }),
  );
  // Awaited below; a failure meanwhile must not count as unhandled.
  burst.catch(() => undefined);
  while (accepted < total / 4) await new Promise((resolve) => setTimeout(resolve, 20));
  note(`${accepted} priority-0 accepted; sending ${URGENT} priority-3`);
  const underBacklog = median(await urgentLatencies(urgent, sessions, 9_100_000));
  note(
    `under backlog: p50 ${underBacklog.toFixed(0)} ms (${accepted} of ${K * perSession} priority-0 accepted)`,
  );
  await burst;
  console.log(
    `priority: p3 under backlog / alone: ${(underBacklog / alone).toFixed(2)} (p50 ${underBacklog.toFixed(0)} ms / ${alone.toFixed(0)} ms; ${K} sessions × ${W}, ${K * perSession} priority-0)`,
  );
} finally {
  await Promise.all(sessions.map((c) => c.close().catch(() => undefined)));
  await system.stop(10_000);
}
