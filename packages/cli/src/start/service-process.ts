/**
 * One service as a child process of `smsgw start`: `node --import
 * @smsgw/telemetry/register src/main.ts` in the service's folder (as its
 * package.json start script runs it), its output forwarded line by line with its name, its
 * readiness read from its admin endpoint, and a stop that escalates from
 * SIGTERM to SIGKILL after a grace period.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceEntry } from './discover-services.ts';
import { FailureCause } from './failure-cause.ts';
import { formatServiceLine, LineSplitter } from './log-lines.ts';

/** The module every service is started with (OpenTelemetry; it exports only when an OTEL endpoint is set). */
export const TELEMETRY_PRELOAD = '@smsgw/telemetry/register';

/** How a child ended. */
export interface ServiceExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** How waiting for one service's readiness ended. */
export type ReadyOutcome = 'ready' | 'exited' | 'timeout' | 'aborted';

/** How long a cause may take to arrive after the exit: the rest of the output is still in the pipes. */
const OUTPUT_AFTER_EXIT_MS = 1_000;

/** Pause between two readiness polls. */
const POLL_MS = 200;

/** Why a 503 /readyz body says not ready: its failing checks ({"failing":[…],"shuttingDown":…}; admin-server.ts in @smsgw/runtime). */
export function notReadyReasonOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { failing?: unknown; shuttingDown?: unknown };
    if (parsed.shuttingDown === true) return 'shutting down';
    if (Array.isArray(parsed.failing) && parsed.failing.length > 0)
      return `failing checks: ${parsed.failing.map(String).join(', ')}`;
  } catch {
    // Not the admin server's JSON: say what came back instead.
  }
  return `/readyz answered ${body.slice(0, 80)}`;
}

/** A running (or ended) service child. */
export class ServiceProcess {
  readonly entry: ServiceEntry;
  readonly adminPort: number;
  readonly #child: ChildProcess;
  /** Resolves when the child has exited. */
  readonly exited: Promise<ServiceExit>;
  #exit: ServiceExit | undefined;
  readonly #cause = new FailureCause();
  /** Resolves once both output pipes have ended (after the exit, with its last lines). */
  readonly #outputEnded: Promise<unknown>;
  #notReady = 'no answer yet';

  /** Spawns the service with `env`, forwarding each output line to `out`. */
  constructor(
    entry: ServiceEntry,
    env: NodeJS.ProcessEnv,
    adminPort: number,
    out: (line: string) => void,
    pretty: boolean,
  ) {
    this.entry = entry;
    this.adminPort = adminPort;
    // Own process group: a Ctrl-C in the terminal reaches smsgw start only, which then stops the children in order.
    // The telemetry preload, resolved from the service's folder (the working directory), as in its start script.
    this.#child = spawn(process.execPath, ['--import', TELEMETRY_PRELOAD, entry.main], {
      cwd: entry.dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const forward = (line: string): void => {
      this.#cause.observe(line);
      out(formatServiceLine(entry.name, line, pretty));
    };
    const ends: Promise<unknown>[] = [];
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      if (stream === null) continue;
      const splitter = new LineSplitter();
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        for (const line of splitter.push(chunk)) forward(line);
      });
      ends.push(
        new Promise<void>((resolve) => {
          stream.once('close', resolve);
          stream.on('end', () => {
            for (const line of splitter.flush()) forward(line);
            resolve();
          });
        }),
      );
    }
    this.#outputEnded = Promise.all(ends);
    const spawnFailed = new Promise<ServiceExit>((resolve) => {
      this.#child.once('error', (err) => {
        out(`[${entry.name}] could not start: ${err.message}`);
        this.#cause.set(`could not start: ${err.message}`);
        resolve({ code: null, signal: null });
      });
    });
    const ended = once(this.#child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
    this.exited = Promise.race([ended, spawnFailed]).then((exit) => {
      this.#exit = exit;
      return exit;
    });
  }

  /** The child's process id. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Whether it is still running. */
  get running(): boolean {
    return this.#exit === undefined;
  }

  /** Why it is not ready, as of the last readiness poll: its failing checks, or that /readyz did not answer. */
  get notReadyReason(): string {
    return this.#notReady;
  }

  /** What its output said about why it ended (port in use, bad configuration…), once the output has ended. */
  async failureCause(): Promise<string | undefined> {
    // Bounded: a grandchild holding the pipes open must not hold up the report.
    await Promise.race([this.#outputEnded, sleep(OUTPUT_AFTER_EXIT_MS, undefined, { ref: false })]);
    return this.#cause.text;
  }

  /** Whether its admin endpoint answers /readyz with 200 (a 503 body names the failing checks); `signal` ends the ask early. */
  async isReady(signal?: AbortSignal): Promise<boolean> {
    const url = `http://127.0.0.1:${this.adminPort}/readyz`;
    const timeout = AbortSignal.timeout(1_000);
    try {
      const res = await fetch(url, {
        signal: signal === undefined ? timeout : AbortSignal.any([timeout, signal]),
      });
      if (res.ok) {
        await res.body?.cancel();
        return true;
      }
      this.#notReady = notReadyReasonOf(await res.text());
      return false;
    } catch {
      // Not listening yet (or not answering): the poll goes on until the deadline.
      this.#notReady = `no answer on ${url}`;
      return false;
    }
  }

  /** Polls readiness until ready, exited, `timeoutMs`, or `signal` aborts; an exit ends the wait at once. */
  async waitReady(timeoutMs: number, signal?: AbortSignal): Promise<ReadyOutcome> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) return 'exited';
      if (signal?.aborted === true) return 'aborted';
      // Something else holding the port may accept and never answer: a give-up must not wait for the fetch's timeout.
      if (await this.isReady(signal)) return 'ready';
      if (Date.now() >= deadline) return 'timeout';
      const pause = sleep(POLL_MS, undefined, signal === undefined ? {} : { signal }).catch(() => {
        // Aborted: the loop's checks end the wait.
      });
      await Promise.race([pause, this.exited]);
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves with how it ended. */
  async stop(graceMs: number): Promise<ServiceExit> {
    if (this.running) {
      this.#child.kill('SIGTERM');
      const timer = setTimeout(() => {
        this.kill();
      }, graceMs);
      const exit = await this.exited;
      clearTimeout(timer);
      return exit;
    }
    return this.exited;
  }

  /** SIGKILL at once. */
  kill(): void {
    if (this.running) this.#child.kill('SIGKILL');
  }
}
