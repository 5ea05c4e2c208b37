/**
 * A real smsgw service as a child process (`node --import
 * @smsgw/telemetry/register services/<name>/src/main.ts`, as its package.json
 * start script runs it, Node running the TypeScript directly), with its output
 * kept for failure messages, a bounded /readyz wait and a bounded graceful stop.
 *
 * For a post-mortem: SYSTEM_TEST_LOG_LEVEL sets every child's LOG_LEVEL (default
 * warn) and SYSTEM_TEST_LOG_DIR appends each child's whole output to
 * `<dir>/<POD_NAME>.log`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The services a system test can start. */
export type ServiceName = 'edge' | 'router' | 'connector' | 'dlr-dispatcher';

/** How a child process ended: its exit code, or the signal that killed it. */
export interface ServiceExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** The telemetry preload every service starts with (it exports only when an OTEL endpoint is set). */
const telemetryPreload = import.meta.resolve('@smsgw/telemetry/register');

/** Keeps the last this many characters of a child's output. */
const outputLimit = 20_000;

/** A spawned service. */
export class ServiceProcess {
  /** The service's name. */
  readonly name: ServiceName;
  /** Its admin port (/readyz, /metrics). */
  readonly adminPort: number;
  readonly #child: ChildProcess;
  readonly #exited: Promise<ServiceExit>;
  #output = '';

  constructor(name: ServiceName, adminPort: number, env: Readonly<Record<string, string>>) {
    this.name = name;
    this.adminPort = adminPort;
    const main = fileURLToPath(new URL(`../../services/${name}/src/main.ts`, import.meta.url));
    this.#child = spawn(process.execPath, ['--import', telemetryPreload, main], {
      env: {
        ...process.env,
        ADMIN_HOST: '127.0.0.1',
        ADMIN_PORT: String(adminPort),
        POD_NAME: `${name}-system-test`,
        LOG_LEVEL: process.env['SYSTEM_TEST_LOG_LEVEL'] ?? 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#exited = once(this.#child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
    const keep = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString()).slice(-outputLimit);
    };
    this.#child.stdout?.on('data', keep);
    this.#child.stderr?.on('data', keep);
    const logDir = process.env['SYSTEM_TEST_LOG_DIR'];
    if (logDir !== undefined && logDir !== '') {
      mkdirSync(logDir, { recursive: true });
      const file = createWriteStream(join(logDir, `${env['POD_NAME'] ?? name}.log`), { flags: 'a' });
      this.#child.stdout?.pipe(file, { end: false });
      this.#child.stderr?.pipe(file, { end: false });
    }
  }

  /** What the process wrote so far (the tail), for assertion messages. */
  get output(): string {
    return `--- ${this.name} ---\n${this.#output}`;
  }

  /** The child's process id (for /proc readings such as peak RSS). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Whether the process has ended. */
  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Fetches an admin endpoint's body (e.g. /metrics). */
  async admin(path: string): Promise<{ status: number; body: string }> {
    const response = await fetch(`http://127.0.0.1:${this.adminPort}${path}`);
    return { status: response.status, body: await response.text() };
  }

  /** Polls /readyz until it answers 200; throws (with the output) when the process dies or `timeoutMs` passes. */
  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited before it was ready\n${this.output}`);
      const ready = await this.admin('/readyz').then(
        (r) => r.status === 200,
        () => false, // not listening yet
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.name} not ready within ${timeoutMs} ms\n${this.output}`);
  }

  /** Sends SIGTERM and resolves with how the process ended; SIGKILLs it when `timeoutMs` passes first. */
  async stop(timeoutMs: number): Promise<ServiceExit> {
    if (this.running) this.#child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(resolve, timeoutMs, 'timeout');
    });
    const result = await Promise.race([this.#exited, timedOut]);
    clearTimeout(timer);
    if (result !== 'timeout') return result;
    this.kill();
    return { code: null, signal: 'SIGKILL' };
  }

  /** SIGKILLs the process if it still runs (cleanup after a failure). */
  kill(): void {
    if (this.running) this.#child.kill('SIGKILL');
  }

  /** kill -9, resolving once the process is gone (a crash in a chaos test). */
  async crash(): Promise<ServiceExit> {
    this.kill();
    return await this.#exited;
  }
}
