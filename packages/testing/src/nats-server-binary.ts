import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNatsServerBinary } from '@smsgw/runtime';
import { setTimeout as sleep } from 'node:timers/promises';
import { NatsFixtureError } from './errors.ts';
import { cleanupOnExit } from './exit-cleanup.ts';
import { getFreePort } from '@smsgw/runtime';
import type { NatsConnectOptions, NatsServerHandle } from './nats-server-handle.ts';
import { probeNatsInfo } from './nats-info-probe.ts';
import { OutputTail } from './output-tail.ts';
import { waitForDeathSync } from './process-death.ts';

const HOST = '127.0.0.1';
const POLL_INTERVAL_MS = 25;
const PROBE_TIMEOUT_MS = 500;
const STOP_GRACE_MS = 5_000;
const PORT_ATTEMPTS = 3;

/** Options of the local-binary backend. */
export interface BinaryNatsServerOptions {
  /** Path of nats-server; found with findNatsServerBinary() when omitted. */
  binary?: string;
  /** How long to wait for the server to accept connections (default 10 s). */
  startTimeoutMs?: number;
  /** Extra command-line arguments. */
  args?: readonly string[];
}

/** How a server process ended. */
interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One running nats-server child process. */
interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
}

/** A nats-server child process with JetStream on 127.0.0.1, its store in a temp dir. */
export class BinaryNatsServer implements NatsServerHandle {
  readonly backend = 'binary';
  readonly url: string;
  readonly connectOptions: NatsConnectOptions;
  readonly #binary: string;
  readonly #args: readonly string[];
  readonly #startTimeoutMs: number;
  readonly #output = new OutputTail();
  readonly #storeDir: string;
  readonly #port: number;
  #running: Running | undefined;
  #stopped: Promise<void> | undefined;
  #unregister: () => void = () => undefined;

  constructor(binary: string, port: number, storeDir: string, options: BinaryNatsServerOptions) {
    this.#binary = binary;
    this.#port = port;
    this.#storeDir = storeDir;
    this.#args = options.args ?? [];
    this.#startTimeoutMs = options.startTimeoutMs ?? 10_000;
    this.url = `nats://${HOST}:${port}`;
    this.connectOptions = { servers: this.url };
  }

  get port(): number {
    return this.#port;
  }

  get pid(): number | undefined {
    return this.#running?.child.pid;
  }

  get storeDir(): string {
    return this.#storeDir;
  }

  /** Spawns the process and waits until it answers with INFO (JetStream on); rejects with its output otherwise. */
  async launch(): Promise<void> {
    this.#output.clear();
    const child = spawn(
      this.#binary,
      ['-js', '-a', HOST, '-p', String(this.#port), '-sd', this.#storeDir, ...this.#args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // Drain both pipes all the time: a full pipe would block the server's logging.
    child.stdout.on('data', (chunk: Buffer) => {
      this.#output.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.#output.push(chunk);
    });
    const exited = new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => {
        resolve({ code, signal });
      });
    });
    const spawnError = new Promise<Error>((resolve) => {
      child.once('error', resolve);
    });
    this.#running = { child, exited };
    this.#unregister();
    this.#unregister = cleanupOnExit(() => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        // Else the dying server may still create files while its store is removed.
        waitForDeathSync(child.pid);
      }
      rmSync(this.#storeDir, { recursive: true, force: true, maxRetries: 3 });
    });

    const deadline = Date.now() + this.#startTimeoutMs;
    for (;;) {
      const outcome = await Promise.race([
        probeNatsInfo(HOST, this.#port, PROBE_TIMEOUT_MS).then((info) => ({ kind: 'probe', info }) as const),
        exited.then((exit) => ({ kind: 'exit', exit }) as const),
        spawnError.then((error) => ({ kind: 'error', error }) as const),
      ]);
      if (outcome.kind === 'error') {
        this.#running = undefined;
        throw new NatsFixtureError(`could not run ${this.#binary}: ${outcome.error.message}`, {
          cause: outcome.error,
        });
      }
      if (outcome.kind === 'exit') {
        this.#running = undefined;
        const how = outcome.exit.signal ?? `code ${String(outcome.exit.code)}`;
        throw new NatsFixtureError(
          `nats-server exited (${how}) before accepting connections on ${this.url}:\n${this.#output.text()}`,
        );
      }
      if (outcome.info !== undefined) {
        if (outcome.info.jetstream) return;
        await this.#terminate('SIGKILL');
        throw new NatsFixtureError(
          `nats-server on ${this.url} runs without JetStream:\n${this.#output.text()}`,
        );
      }
      if (Date.now() >= deadline) {
        await this.#terminate('SIGKILL');
        throw new NatsFixtureError(
          `nats-server did not accept connections on ${this.url} within ${this.#startTimeoutMs} ms:\n${this.#output.text()}`,
        );
      }
      await sleep(POLL_INTERVAL_MS);
    }
  }

  /** Whether the last failed launch() failed because the port was taken. */
  portWasTaken(): boolean {
    return this.#output.text().includes('address already in use');
  }

  /** Signals the running process (if any) and waits for it to end; escalates to SIGKILL after a grace period. */
  async #terminate(signal: NodeJS.Signals): Promise<void> {
    const running = this.#running;
    if (running === undefined) return;
    this.#running = undefined;
    if (running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill(signal);
      const timer = setTimeout(() => running.child.kill('SIGKILL'), STOP_GRACE_MS);
      await running.exited;
      clearTimeout(timer);
    }
  }

  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      await this.#terminate('SIGTERM');
      await rm(this.#storeDir, { recursive: true, force: true, maxRetries: 3 });
      // Only now: should the process exit halfway, the exit hook finishes the removal.
      this.#unregister();
    })();
    return this.#stopped;
  }

  async kill(): Promise<void> {
    this.#assertNotStopped('kill');
    await this.#terminate('SIGKILL');
  }

  async restart(): Promise<void> {
    this.#assertNotStopped('restart');
    await this.#terminate('SIGTERM');
    await this.launch();
  }

  /** Sends `signal` to the running process (SIGSTOP/SIGCONT: a hung node, for chaos tests). */
  signal(signal: NodeJS.Signals): void {
    this.#assertNotStopped(signal);
    const child = this.#running?.child;
    if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
      throw new NatsFixtureError(`cannot send ${signal} to ${this.url}: it does not run`);
    }
    process.kill(child.pid, signal);
  }

  #assertNotStopped(action: string): void {
    if (this.#stopped !== undefined) throw new NatsFixtureError(`cannot ${action} a stopped NATS server`);
  }
}

/**
 * Runs the local nats-server binary: `-js -a 127.0.0.1 -p <free port> -sd <temp dir>`.
 * Retries on another port when the picked one was taken in between.
 */
export async function startBinaryNatsServer(
  options: BinaryNatsServerOptions = {},
): Promise<NatsServerHandle> {
  const binary = options.binary ?? findNatsServerBinary();
  if (binary === undefined) {
    throw new NatsFixtureError(
      'nats-server not found (checked $NATS_SERVER_BIN, PATH and /usr/sbin/nats-server): install it, e.g. apt-get install nats-server',
    );
  }
  for (let attempt = 1; ; attempt++) {
    const storeDir = await mkdtemp(join(tmpdir(), 'smsgw-nats-'));
    const server = new BinaryNatsServer(binary, await getFreePort(), storeDir, options);
    try {
      await server.launch();
      return server;
    } catch (err) {
      await server.stop();
      if (attempt < PORT_ATTEMPTS && server.portWasTaken()) continue;
      throw err;
    }
  }
}
