import { NatsFixtureError } from './errors.ts';
import type { ContainerRuntime } from './container-runtime.ts';
import { getFreePort } from '@smsgw/runtime';
import type { NatsConnectOptions, NatsServerHandle } from './nats-server-handle.ts';

/** The image run by default: production targets NATS 2.10+. */
export const DEFAULT_NATS_IMAGE = 'nats:2.10-alpine';
const CLIENT_PORT = 4222;
/** Seconds-granular grace docker gives nats-server between SIGTERM and SIGKILL on restart/stop. */
const GRACE_MS = 10_000;

/** Options of the container backend. */
export interface ContainerNatsServerOptions {
  /** Image to run (default DEFAULT_NATS_IMAGE, or $SMSGW_TEST_NATS_IMAGE). */
  image?: string;
  /** How long to wait for "Server is ready" (default 120 s: the image may need pulling). */
  startTimeoutMs?: number;
  /** Extra nats-server arguments, as `['--name', 'value']` pairs or flags. */
  args?: readonly string[];
}

/**
 * Runs NATS in a container through testcontainers (@testcontainers/nats with
 * JetStream). The host port is fixed up front so that restart() keeps it (a
 * restarted container would otherwise get a new random port); the store lives
 * in the container's own filesystem, which survives a restart. testcontainers'
 * reaper removes the container if the test process dies.
 */
export async function startContainerNatsServer(
  runtime: ContainerRuntime,
  options: ContainerNatsServerOptions = {},
): Promise<NatsServerHandle> {
  // testcontainers reads DOCKER_HOST when it first connects; podman's socket is not on its list.
  if (!runtime.discoverable && process.env['DOCKER_HOST'] === undefined) {
    process.env['DOCKER_HOST'] = runtime.dockerHost;
  }
  // Imported lazily: loading the docker client stack costs time the binary backend does not need.
  const [{ NatsContainer }, { getContainerRuntimeClient }] = await Promise.all([
    import('@testcontainers/nats'),
    import('testcontainers'),
  ]);
  const image = options.image ?? process.env['SMSGW_TEST_NATS_IMAGE'] ?? DEFAULT_NATS_IMAGE;
  const hostPort = await getFreePort();
  let container = new NatsContainer(image)
    .withJetStream()
    .withExposedPorts({ container: CLIENT_PORT, host: hostPort })
    .withStartupTimeout(options.startTimeoutMs ?? 120_000);
  const args = options.args ?? [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i] ?? '';
    const value = args[i + 1];
    if (value !== undefined && !value.startsWith('-')) {
      container = container.withArg(name, value);
      i++;
    } else {
      container = container.withArg(name);
    }
  }
  let started;
  try {
    started = await container.start();
  } catch (err) {
    throw new NatsFixtureError(`could not start NATS container ${image}: ${String(err)}`, { cause: err });
  }
  const host = started.getHost();
  const port = started.getMappedPort(CLIENT_PORT);
  const { servers, user, pass } = started.getConnectionOptions();
  const connectOptions: NatsConnectOptions = {
    servers: typeof servers === 'string' ? servers : `${host}:${port}`,
  };
  if (user !== undefined) connectOptions.user = user;
  if (pass !== undefined) connectOptions.pass = pass;

  let stopped: Promise<void> | undefined;
  const assertNotStopped = (action: string): void => {
    if (stopped !== undefined) throw new NatsFixtureError(`cannot ${action} a stopped NATS server`);
  };
  return {
    backend: 'container',
    url: `nats://${host}:${port}`,
    port,
    connectOptions,
    pid: undefined,
    storeDir: undefined,
    stop() {
      stopped ??= started.stop({ remove: true, removeVolumes: true }).then(() => undefined);
      return stopped;
    },
    async kill() {
      assertNotStopped('kill');
      const client = await getContainerRuntimeClient();
      await client.container.getById(started.getId()).kill({ signal: 'SIGKILL' });
    },
    async restart() {
      assertNotStopped('restart');
      await started.restart({ timeout: GRACE_MS });
    },
  };
}
