/**
 * How the services behind the edge (router, connector, dlr-dispatcher) share
 * the machine with the edge path (client, edge, nats-server) during the
 * submits — see the CPU priority paragraph of gateway-bench.ts.
 */
import { execFileSync } from 'node:child_process';
import { setPriority } from 'node:os';

/** `nice`: they run only on CPU left over; `even`: as started; `paused`: stopped (SIGSTOP) during the submits. */
export const DOWNSTREAM_MODES = ['nice', 'even', 'paused'] as const;

/** One of DOWNSTREAM_MODES. */
export type DownstreamMode = (typeof DOWNSTREAM_MODES)[number];

/**
 * Puts every thread of `pid` under SCHED_IDLE (chrt from util-linux; Node has
 * no sched_setscheduler). Niceness 19 alone is not "CPU left over" on Linux
 * 6.6+ (EEVDF): a task woken on a busy core waits until the running task's
 * slice ends, nice 19 or not, so every hop of the edge path (client → edge →
 * nats-server → edge → client) could wait a slice behind a downstream
 * service. A waking normal task preempts a SCHED_IDLE one at once.
 * Returns why it could not, or undefined.
 */
function idlePolicy(pid: number): string | undefined {
  try {
    execFileSync('chrt', ['--idle', '--all-tasks', '--pid', '0', String(pid)], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The downstream processes and what the mode does to them. */
export class Downstream {
  readonly #pids: readonly number[];
  readonly #mode: DownstreamMode;
  #stopped = false;

  /** `note` hears when SCHED_IDLE could not be set (they then run at niceness 19 only). */
  constructor(pids: readonly number[], mode: DownstreamMode, note: (line: string) => void) {
    this.#pids = pids;
    this.#mode = mode;
    if (mode !== 'nice') return;
    for (const pid of pids) {
      setPriority(pid, 19);
      const failed = idlePolicy(pid);
      if (failed !== undefined) note(`SCHED_IDLE not set for pid ${pid} (niceness 19 only): ${failed}`);
    }
  }

  /** Before the first submit: `paused` stops them. */
  hold(): void {
    if (this.#mode !== 'paused' || this.#stopped) return;
    this.#stopped = true;
    for (const pid of this.#pids) process.kill(pid, 'SIGSTOP');
  }

  /** After the last submit_sm_resp, and on every way out: they carry on. Idempotent. */
  release(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    for (const pid of this.#pids) process.kill(pid, 'SIGCONT');
  }
}
