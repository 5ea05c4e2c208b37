/**
 * The three-node test cluster in containers (testcontainers), for machines
 * with a container engine: one network, each node reachable by the others
 * under its name, client and monitoring ports fixed on the host up front so
 * that a restarted node keeps them. Nodes do not advertise their in-network
 * addresses to clients (`--no_advertise`): clients on the host know only the
 * host ports. A hang is a paused container (cgroup freezer), as SIGSTOP is
 * for a process; a kill is SIGKILL, and restart starts the same container
 * again with its store.
 */
import { NatsFixtureError } from './errors.ts';
import type { ContainerRuntime } from './container-runtime.ts';
import { getFreePort } from '@smsgw/runtime';
import type { NatsClusterHandle, NatsClusterNode } from './nats-cluster-handle.ts';
import { readStreamLeaders, waitClusterReady } from './nats-cluster-monitor.ts';
import { DEFAULT_NATS_IMAGE } from './nats-server-container.ts';

const CLIENT_PORT = 4222;
const ROUTE_PORT = 6222;
const MONITOR_PORT = 8222;
const NODES = 3;
const GRACE_MS = 10_000;

/** Options of the container cluster. */
export interface ContainerNatsClusterOptions {
  /** Image to run (default DEFAULT_NATS_IMAGE, or $SMSGW_TEST_NATS_IMAGE). */
  image?: string;
  /** How long to wait for the containers and the meta leader (default 120 s: the image may need pulling). */
  startTimeoutMs?: number;
}

/** Starts the cluster in containers and waits until JetStream has a meta leader on every node. */
export async function startContainerNatsCluster(
  runtime: ContainerRuntime,
  options: ContainerNatsClusterOptions = {},
): Promise<NatsClusterHandle> {
  if (!runtime.discoverable && process.env['DOCKER_HOST'] === undefined) {
    process.env['DOCKER_HOST'] = runtime.dockerHost;
  }
  const { GenericContainer, Network, Wait, getContainerRuntimeClient } = await import('testcontainers');
  const image = options.image ?? process.env['SMSGW_TEST_NATS_IMAGE'] ?? DEFAULT_NATS_IMAGE;
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const network = await new Network().start();
  const names = Array.from({ length: NODES }, (_, i) => `n${i + 1}`);
  const hostPorts = await Promise.all(
    names.map(async () => ({ client: await getFreePort(), monitor: await getFreePort() })),
  );
  const nodes: NatsClusterNode[] = names.map((name, i) => ({
    name,
    url: `nats://127.0.0.1:${hostPorts[i]?.client ?? 0}`,
    monitorPort: hostPorts[i]?.monitor ?? 0,
  }));
  const definitions = names.map((name, i) =>
    new GenericContainer(image)
      .withNetwork(network)
      .withNetworkAliases(name)
      .withExposedPorts(
        { container: CLIENT_PORT, host: hostPorts[i]?.client ?? 0 },
        { container: MONITOR_PORT, host: hostPorts[i]?.monitor ?? 0 },
      )
      .withCommand([
        '-js',
        '-sd',
        '/data',
        '-n',
        name,
        '--cluster_name',
        'smsgw-test',
        '--cluster',
        `nats://0.0.0.0:${ROUTE_PORT}`,
        '--routes',
        names
          .filter((other) => other !== name)
          .map((other) => `nats://${other}:${ROUTE_PORT}`)
          .join(','),
        '-m',
        String(MONITOR_PORT),
        '--no_advertise',
      ])
      .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
      .withStartupTimeout(timeoutMs),
  );
  let started;
  try {
    started = await Promise.all(definitions.map((d) => d.start()));
  } catch (err) {
    await network.stop();
    throw new NatsFixtureError(`could not start the NATS cluster (${image}): ${String(err)}`, { cause: err });
  }
  const client = await getContainerRuntimeClient();
  const down = new Set<number>();
  const hung = new Set<number>();
  const container = (node: number) => {
    const c = started[node];
    if (c === undefined) throw new NatsFixtureError(`no node ${node} in a cluster of ${NODES}`);
    return c;
  };
  let stopped: Promise<void> | undefined;
  const url = nodes.map((n) => n.url).join(',');
  const cluster: NatsClusterHandle = {
    backend: 'container',
    nodes,
    url,
    connectOptions: { servers: url },
    async kill(node) {
      await client.container.getById(container(node).getId()).kill({ signal: 'SIGKILL' });
      hung.delete(node);
      down.add(node);
    },
    async restart(node) {
      if (hung.has(node)) await cluster.resume(node);
      await container(node).restart({ timeout: GRACE_MS });
      down.delete(node);
    },
    async hang(node) {
      await client.container.getById(container(node).getId()).pause();
      hung.add(node);
    },
    async resume(node) {
      await client.container.getById(container(node).getId()).unpause();
      hung.delete(node);
    },
    async streamLeader(stream) {
      return (await readStreamLeaders('127.0.0.1', nodes)).get(stream);
    },
    streamLeaders: () => readStreamLeaders('127.0.0.1', nodes),
    async waitReady(ms = 30_000) {
      const running = nodes.map((_, i) => i).filter((i) => !down.has(i) && !hung.has(i));
      await waitClusterReady('127.0.0.1', nodes, running, ms);
    },
    stop() {
      stopped ??= (async () => {
        for (const node of [...hung]) await cluster.resume(node);
        await Promise.all(started.map((c) => c.stop({ remove: true, removeVolumes: true })));
        await network.stop();
      })();
      return stopped;
    },
  };
  try {
    await cluster.waitReady(timeoutMs);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}
