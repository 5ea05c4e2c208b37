/**
 * After the banner, `smsgw start` keeps its services running as Kubernetes
 * keeps a pod's container: a service that exits on its own is started again
 * after a back-off (1 s, doubling per restart in a row up to 30 s; a service
 * that then stays ready for a minute starts from 1 s again), and each step is
 * said on the terminal. Stopping (Ctrl-C) ends the supervision.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceExit, ServiceProcess } from './service-process.ts';

/** The shortest and longest wait before a restart, and how long a service must stay up for the back-off to start over. */
export interface RestartBackoff {
  readonly minMs: number;
  readonly maxMs: number;
  readonly resetAfterMs: number;
}

/** smsgw start's restart back-off. */
export const RESTART_BACKOFF: RestartBackoff = { minMs: 1_000, maxMs: 30_000, resetAfterMs: 60_000 };

/** The wait before restart number `restart` (1-based) in a row. */
export function restartDelayMs(
  restart: number,
  backoff: { minMs: number; maxMs: number } = RESTART_BACKOFF,
): number {
  return Math.min(backoff.maxMs, backoff.minMs * 2 ** Math.max(0, restart - 1));
}

/** What supervise needs. */
export interface SuperviseOptions {
  /** The running services; an entry is replaced when its service is started again. */
  readonly children: ServiceProcess[];
  /** Starts service `index` again (same environment and ports). */
  readonly respawn: (index: number) => ServiceProcess;
  /** Ends the supervision (the user stops smsgw start). */
  readonly stop: AbortSignal;
  /** Says one line on the terminal. */
  readonly note: (line: string) => void;
  /** How an exit reads (`code 1`, `SIGKILL`). */
  readonly describeExit: (exit: ServiceExit) => string;
  /** How long a restarted service may take to become ready before it counts as a failure. */
  readonly readyTimeoutMs: number;
  /** The back-off (tests shorten it). */
  readonly backoff?: RestartBackoff;
}

/** Supervises every service until `stop` aborts; resolves then. */
export async function supervise(options: SuperviseOptions): Promise<void> {
  await Promise.all(options.children.map((_, index) => superviseOne(options, index)));
}

async function superviseOne(o: SuperviseOptions, index: number): Promise<void> {
  const backoff = o.backoff ?? RESTART_BACKOFF;
  let inARow = 0;
  let startedAt = Date.now();
  for (;;) {
    const child = o.children[index];
    if (child === undefined) return;
    const exit = await Promise.race([child.exited, abortOf(o.stop)]);
    if (exit === undefined || o.stop.aborted) return;
    inARow = Date.now() - startedAt >= backoff.resetAfterMs ? 1 : inARow + 1;
    const delayMs = restartDelayMs(inARow, backoff);
    const name = child.entry.name;
    o.note(
      `${name} exited on its own (${o.describeExit(exit)}): starting it again in ${String(delayMs)} ms (restart ${String(inARow)} in a row), as Kubernetes would`,
    );
    try {
      await sleep(delayMs, undefined, { signal: o.stop });
    } catch {
      return; // stopping
    }
    const next = o.respawn(index);
    o.children[index] = next;
    startedAt = Date.now();
    o.note(`started ${name} (pid ${String(next.pid)}) again`);
    const ready = await next.waitReady(o.readyTimeoutMs, o.stop);
    if (ready === 'ready') o.note(`${name} is ready again`);
  }
}

/** Resolves undefined when `signal` aborts. */
function abortOf(signal: AbortSignal): Promise<undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(undefined);
    else {
      signal.addEventListener(
        'abort',
        () => {
          resolve(undefined);
        },
        { once: true },
      );
    }
  });
}
