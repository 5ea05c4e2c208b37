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
import { formatServiceLine, LineSplitter } from './log-lines.ts';

/** The module every service is started with (OpenTelemetry; it exports only when an OTEL endpoint is set). */
export const TELEMETRY_PRELOAD = '@smsgw/telemetry/register';

/** How a child ended. */
export interface ServiceExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running (or ended) service child. */
export class ServiceProcess {
  readonly entry: ServiceEntry;
  readonly adminPort: number;
  readonly #child: ChildProcess;
  /** Resolves when the child has exited. */
  readonly exited: Promise<ServiceExit>;
  #exit: ServiceExit | undefined;

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
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      const splitter = new LineSplitter();
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        for (const line of splitter.push(chunk)) out(formatServiceLine(entry.name, line, pretty));
      });
      stream?.on('end', () => {
        for (const line of splitter.flush()) out(formatServiceLine(entry.name, line, pretty));
      });
    }
    const spawnFailed = new Promise<ServiceExit>((resolve) => {
      this.#child.once('error', (err) => {
        out(`[${entry.name}] could not start: ${err.message}`);
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

  /** Whether its admin endpoint answers /readyz with 200. */
  async isReady(): Promise<boolean> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.adminPort}/readyz`, {
        signal: AbortSignal.timeout(1_000),
      });
      await res.body?.cancel();
      return res.ok;
    } catch {
      return false;
    }
  }

  /** Polls readiness until ready, exited, or `timeoutMs`; resolves whether it became ready. */
  async waitReady(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.running && Date.now() < deadline && signal?.aborted !== true) {
      if (await this.isReady()) return true;
      await sleep(200);
    }
    return false;
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
