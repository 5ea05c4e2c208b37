import { detectContainerRuntime } from './container-runtime.ts';
import { NatsFixtureError } from './errors.ts';
import { findNatsServerBinary } from '@smsgw/runtime';
import { startBinaryNatsServer } from './nats-server-binary.ts';
import { startContainerNatsServer } from './nats-server-container.ts';
import type { NatsServerHandle } from './nats-server-handle.ts';

/** Options of startNatsServer(). */
export interface NatsServerOptions {
  /**
   * 'auto' (default): a container when an engine answers, else the local
   * binary. The environment variable SMSGW_TEST_NATS (auto | binary |
   * container) sets the default.
   */
  backend?: 'auto' | 'binary' | 'container';
  /** nats-server path for the binary backend (default: $NATS_SERVER_BIN, PATH, /usr/sbin/nats-server). */
  binary?: string;
  /** Image for the container backend. */
  image?: string;
  /** Startup wait limit (binary default 10 s, container 120 s). */
  startTimeoutMs?: number;
  /** Extra nats-server arguments. */
  args?: readonly string[];
}

function backendOf(options: NatsServerOptions): 'auto' | 'binary' | 'container' {
  if (options.backend !== undefined) return options.backend;
  const fromEnv = process.env['SMSGW_TEST_NATS'];
  if (fromEnv === undefined || fromEnv === '') return 'auto';
  if (fromEnv === 'auto' || fromEnv === 'binary' || fromEnv === 'container') return fromEnv;
  throw new NatsFixtureError(`SMSGW_TEST_NATS must be auto, binary or container, not '${fromEnv}'`);
}

/** Drops undefined values so that optional properties stay absent (exactOptionalPropertyTypes). */
function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

/**
 * Starts a NATS server with JetStream for one test file: in a container when a
 * container engine is reachable, else the local nats-server binary. Throws a
 * NatsFixtureError when neither exists, so that a suite never passes by
 * skipping. Stop it in afterAll; leftovers are killed when the process exits.
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const backend = backendOf(options);
  const { binary, image, startTimeoutMs, args } = options;
  if (backend !== 'binary') {
    const runtime = await detectContainerRuntime();
    if (runtime !== undefined)
      return startContainerNatsServer(runtime, defined({ image, startTimeoutMs, args }));
    if (backend === 'container') {
      throw new NatsFixtureError(
        'SMSGW_TEST_NATS=container, but no container engine answered (DOCKER_HOST or a docker/podman socket)',
      );
    }
  }
  if (backend === 'auto' && findNatsServerBinary() === undefined && binary === undefined) {
    throw new NatsFixtureError(
      'no NATS server for tests: no container engine answered (DOCKER_HOST, docker/podman sockets) and nats-server was not found ($NATS_SERVER_BIN, PATH, /usr/sbin/nats-server); install nats-server (apt-get install nats-server) or start Docker',
    );
  }
  return startBinaryNatsServer(defined({ binary, startTimeoutMs, args }));
}
