import type { NatsBackend, NatsConnectOptions } from './nats-server-handle.ts';

/** One server of a test cluster. */
export interface NatsClusterNode {
  /** Its server_name, which JetStream names as a stream's leader. */
  readonly name: string;
  /** `nats://host:port` of its client port. */
  readonly url: string;
  /** Its monitoring port on the host (`/jsz`, `/healthz`). */
  readonly monitorPort: number;
}

/** A three-node nats-server cluster with JetStream that belongs to one test file. */
export interface NatsClusterHandle {
  readonly backend: NatsBackend;
  /** The nodes, in a fixed order: every method takes an index into it. */
  readonly nodes: readonly NatsClusterNode[];
  /** Every node's client URL, comma-separated (NATS_URL of a service under test). */
  readonly url: string;
  /** Spread into connect(): every node, so that a client fails over. */
  readonly connectOptions: NatsConnectOptions & { readonly servers: string };
  /** SIGKILLs a node (a crash); its store stays, so restart() brings it back with its data. */
  kill(node: number): Promise<void>;
  /** Starts a killed (or running: stopped gracefully first) node again on its ports with its store. */
  restart(node: number): Promise<void>;
  /** Freezes a node (SIGSTOP, or a paused container): its sockets stay open and nothing answers. */
  hang(node: number): Promise<void>;
  /** Lets a hung node run again (SIGCONT, or an unpaused container). */
  resume(node: number): Promise<void>;
  /** The index of the node that leads `stream` now, as the reachable nodes' `/jsz` say; undefined while none does. */
  streamLeader(stream: string): Promise<number | undefined>;
  /** Every stream's leader (node index) as the reachable nodes' `/jsz` say. */
  streamLeaders(): Promise<Map<string, number>>;
  /** Resolves once every running node answers `/healthz` and agrees on a JetStream meta leader. */
  waitReady(timeoutMs?: number): Promise<void>;
  /** Stops every node and removes its data. Idempotent. */
  stop(): Promise<void>;
}
