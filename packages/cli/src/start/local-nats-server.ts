/**
 * A nats-server child with JetStream for `smsgw start`: on the default URL's
 * port (so that `smsgw accounts` finds it without NATS_URL), its store in a
 * temporary directory removed at stop. Not @smsgw/testing's fixture: that one
 * picks a random port and kills the server on the first SIGINT, before the
 * services have drained; here NATS stops last. The binary is found as the
 * fixtures find it (findNatsServerBinary, @smsgw/runtime).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NatsConnection } from '@nats-io/transport-node';
import { CliError } from '../cli-error.ts';
import { connectCliNats } from '../nats-connection.ts';

/** A running local nats-server. */
export interface LocalNatsServer {
  readonly url: string;
  readonly pid: number | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; removes the store. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;
const OUTPUT_KEPT = 4_000;

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Starts `binary` on host:port and resolves once a client can connect (that client is returned, open). */
export async function startLocalNatsServer(
  binary: string,
  host: string,
  port: number,
): Promise<{ server: LocalNatsServer; nc: NatsConnection }> {
  const storeDir = await mkdtemp(join(tmpdir(), 'smsgw-start-nats-'));
  // detached: a Ctrl-C in the terminal must not reach NATS before the services have drained.
  const child = spawn(binary, ['-js', '-a', host, '-p', String(port), '-sd', storeDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const exit = once(child, 'exit');
  let stopped: Promise<void> | undefined;
  const server: LocalNatsServer = {
    url: `nats://${host}:${port}`,
    pid: child.pid,
    stop: (graceMs = 5_000) =>
      (stopped ??= (async () => {
        if (!exited(child)) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          await exit;
          clearTimeout(timer);
        }
        await rm(storeDir, { recursive: true, force: true, maxRetries: 3 });
      })()),
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const failure = await Promise.race([spawnError, sleep(100).then(() => undefined)]);
    if (failure !== undefined || exited(child)) {
      await server.stop();
      throw new CliError(
        `nats-server did not start${failure === undefined ? '' : `: ${failure.message}`}\n${output}`,
      );
    }
    try {
      return { server, nc: await connectCliNats(server.url, 'smsgw-start', 1_000) };
    } catch (err) {
      if (Date.now() > deadline) {
        await server.stop(0);
        throw new CliError(
          `nats-server did not accept connections on ${server.url} within ${START_TIMEOUT_MS} ms\n${output}`,
          1,
          {
            cause: err,
          },
        );
      }
    }
  }
}
