/**
 * A three-node cluster of local nats-server processes on 127.0.0.1: each with
 * a client, a cluster (route) and a monitoring port and a JetStream store in a
 * temp dir of its own, routes to the other two, one cluster name. Killed
 * (SIGKILL), restarted (same ports and store) and hung (SIGSTOP/SIGCONT) one
 * node at a time by the chaos tests.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NatsFixtureError } from './errors.ts';
import { getFreePort } from '@smsgw/runtime';
import type { NatsClusterHandle, NatsClusterNode } from './nats-cluster-handle.ts';
import { readStreamLeaders, waitClusterReady } from './nats-cluster-monitor.ts';
import { findNatsServerBinary } from '@smsgw/runtime';
import { BinaryNatsServer } from './nats-server-binary.ts';

const HOST = '127.0.0.1';
const CLUSTER_NAME = 'smsgw-test';
const NODES = 3;

/** Options of the local-binary cluster. */
export interface BinaryNatsClusterOptions {
  /** Path of nats-server; found with findNatsServerBinary() when omitted. */
  binary?: string;
  /** How long to wait for the cluster to elect its JetStream meta leader (default 30 s). */
  startTimeoutMs?: number;
}

/** Ports of one node. */
interface NodePorts {
  readonly client: number;
  readonly route: number;
  readonly monitor: number;
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await getFreePort());
  return [...ports];
}

/** Starts the cluster and waits until JetStream has a meta leader on every node. */
export async function startBinaryNatsCluster(
  options: BinaryNatsClusterOptions = {},
): Promise<NatsClusterHandle> {
  const binary = options.binary ?? findNatsServerBinary();
  if (binary === undefined) {
    throw new NatsFixtureError(
      'nats-server not found (checked $NATS_SERVER_BIN, PATH and /usr/sbin/nats-server): install it, e.g. apt-get install nats-server',
    );
  }
  const free = await distinctFreePorts(NODES * 3);
  const ports: NodePorts[] = Array.from({ length: NODES }, (_, i) => ({
    client: free[i * 3] as number,
    route: free[i * 3 + 1] as number,
    monitor: free[i * 3 + 2] as number,
  }));
  const nodes: NatsClusterNode[] = ports.map((p, i) => ({
    name: `n${i + 1}`,
    url: `nats://${HOST}:${p.client}`,
    monitorPort: p.monitor,
  }));
  const servers: BinaryNatsServer[] = [];
  for (const [i, p] of ports.entries()) {
    const routes = ports
      .filter((_, j) => j !== i)
      .map((o) => `nats://${HOST}:${o.route}`)
      .join(',');
    const storeDir = await mkdtemp(join(tmpdir(), 'smsgw-nats-'));
    servers.push(
      new BinaryNatsServer(binary, p.client, storeDir, {
        args: [
          '-n',
          nodes[i]?.name ?? '',
          '--cluster_name',
          CLUSTER_NAME,
          '--cluster',
          `nats://${HOST}:${p.route}`,
          '--routes',
          routes,
          '-m',
          String(p.monitor),
        ],
      }),
    );
  }
  const cluster = new BinaryNatsCluster(nodes, servers);
  try {
    await Promise.all(servers.map((s) => s.launch()));
    await cluster.waitReady(options.startTimeoutMs ?? 30_000);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

class BinaryNatsCluster implements NatsClusterHandle {
  readonly backend = 'binary';
  readonly nodes: readonly NatsClusterNode[];
  readonly url: string;
  readonly connectOptions: { readonly servers: string };
  readonly #servers: readonly BinaryNatsServer[];
  /** Nodes down (killed and not restarted) or hung. */
  readonly #down = new Set<number>();
  readonly #hung = new Set<number>();
  #stopped: Promise<void> | undefined;

  constructor(nodes: readonly NatsClusterNode[], servers: readonly BinaryNatsServer[]) {
    this.nodes = nodes;
    this.#servers = servers;
    this.url = nodes.map((n) => n.url).join(',');
    this.connectOptions = { servers: this.url };
  }

  #server(node: number): BinaryNatsServer {
    const server = this.#servers[node];
    if (server === undefined)
      throw new NatsFixtureError(`no node ${node} in a cluster of ${this.#servers.length}`);
    return server;
  }

  async kill(node: number): Promise<void> {
    await this.#server(node).kill();
    this.#hung.delete(node);
    this.#down.add(node);
  }

  async restart(node: number): Promise<void> {
    if (this.#hung.has(node)) await this.resume(node);
    await this.#server(node).restart();
    this.#down.delete(node);
  }

  hang(node: number): Promise<void> {
    this.#server(node).signal('SIGSTOP');
    this.#hung.add(node);
    return Promise.resolve();
  }

  resume(node: number): Promise<void> {
    this.#server(node).signal('SIGCONT');
    this.#hung.delete(node);
    return Promise.resolve();
  }

  async streamLeader(stream: string): Promise<number | undefined> {
    return (await this.streamLeaders()).get(stream);
  }

  streamLeaders(): Promise<Map<string, number>> {
    return readStreamLeaders(HOST, this.nodes);
  }

  async waitReady(timeoutMs = 30_000): Promise<void> {
    const running = this.nodes.map((_, i) => i).filter((i) => !this.#down.has(i) && !this.#hung.has(i));
    await waitClusterReady(HOST, this.nodes, running, timeoutMs);
  }

  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      // A stopped process ignores SIGTERM until it runs again.
      for (const node of this.#hung) this.#servers[node]?.signal('SIGCONT');
      this.#hung.clear();
      await Promise.all(this.#servers.map((s) => s.stop()));
    })();
    return this.#stopped;
  }
}
