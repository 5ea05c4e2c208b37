/**
 * How the services behind the edge (router, connector, dlr-dispatcher) share
 * the machine with the edge path (client, edge, nats-server) during the
 * submits — see the CPU priority paragraph of gateway-bench.ts.
 */
import { setPriority } from 'node:os';

/** `nice`: lowest CPU priority all run; `even`: as started; `paused`: stopped (SIGSTOP) during the submits. */
export const DOWNSTREAM_MODES = ['nice', 'even', 'paused'] as const;

/** One of DOWNSTREAM_MODES. */
export type DownstreamMode = (typeof DOWNSTREAM_MODES)[number];

/** The downstream processes and what the mode does to them. */
export class Downstream {
  readonly #pids: readonly number[];
  readonly #mode: DownstreamMode;
  #stopped = false;

  constructor(pids: readonly number[], mode: DownstreamMode) {
    this.#pids = pids;
    this.#mode = mode;
    if (mode === 'nice') for (const pid of pids) setPriority(pid, 19);
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
