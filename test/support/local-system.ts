/**
 * The whole system as real processes for cross-service tests: a private
 * nats-server, N edges (each with its SMPP, gRPC and admin ports), the router,
 * the sim connector and M dlr-dispatcher replicas, plus accounts. Each process
 * can be stopped (SIGTERM), crashed (SIGKILL) and started again on the same
 * ports and pod name, as a Kubernetes pod would be.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AccountStore, hashPassword } from '@smsgw/accounts';
import { ensureTopology, type Topology, type TopologyOptions } from '@smsgw/nats';
import {
  childNatsUrl,
  getFreePorts,
  startNatsServer,
  type NatsClusterHandle,
  type NatsServerHandle,
} from '@smsgw/testing';
import { waitForListener } from './wait-for-listener.ts';
import { ServiceProcess, type ServiceName } from './service-process.ts';

/** One service process slot: what it runs as and how to start it again. */
export interface ServiceSlot {
  /** The pod name (POD_NAME). */
  readonly pod: string;
  readonly service: ServiceName;
  readonly adminPort: number;
  /** The environment it starts with (on top of the shared one). */
  env: Record<string, string>;
  /** The running (or last) process. */
  process: ServiceProcess;
}

/** An edge slot, with its client-facing ports. */
export interface EdgeSlot extends ServiceSlot {
  readonly smppPort: number;
  readonly grpcPort: number;
}

/** What to start. */
export interface LocalSystemOptions {
  readonly edges: number;
  readonly dispatchers: number;
  /** Accounts to create (password `password`, no submit rate limit to speak of). */
  readonly accounts: readonly string[];
  readonly password: string;
  /** Priorities above 0 the accounts are approved for (default none: every submit goes in lane 0). */
  readonly approvedPriorities?: readonly (1 | 2 | 3)[];
  /** Extra environment per service (all its replicas). */
  readonly env?: Partial<Record<ServiceName, Record<string, string>>>;
  /** An OTLP/HTTP endpoint every service exports its spans to (each named after its service), batched briefly. */
  readonly otlpEndpoint?: string;
  /**
   * A NATS cluster to run against instead of a server of its own (the chaos tests): every service gets
   * every node's URL, and the topology is created at `replicas`, which every service gets as NATS_REPLICAS.
   * The caller stops the cluster.
   */
  readonly cluster?: { readonly handle: NatsClusterHandle; readonly replicas: number };
  /** The stream limits the topology is provisioned with, as `smsgw topology apply` would (default: the defaults). */
  readonly limits?: Pick<TopologyOptions, 'dlrBacklogMax' | 'dlrPriorityBacklogMax' | 'dlrMaxAgeMs'>;
}

/** A running local system. */
export interface LocalSystem {
  /** The system's own NATS server; undefined when it runs against a cluster (LocalSystemOptions.cluster). */
  readonly nats: NatsServerHandle | undefined;
  readonly nc: NatsConnection;
  readonly topology: Topology;
  readonly edges: readonly EdgeSlot[];
  readonly router: ServiceSlot;
  readonly connector: ServiceSlot;
  readonly dispatchers: readonly ServiceSlot[];
  /** Every slot, edges first. */
  slots(): ServiceSlot[];
  /** Every process's output tail, for assertion messages. */
  outputs(): string;
  /** Starts the slot's process again (same pod name and ports), with `env` replacing its extra environment when given. */
  restart(slot: ServiceSlot, env?: Record<string, string>): Promise<void>;
  /** SIGKILLs every process, closes NATS. */
  close(): Promise<void>;
}

/** Settings that keep a test system responsive (short pulls and timeouts). */
const TEST_DEFAULTS: Record<ServiceName, Record<string, string>> = {
  edge: { EDGE_SMPP_HOST: '127.0.0.1', EDGE_DELIVER_TIMEOUT: '3s' },
  router: { ROUTER_PULL_EXPIRES: '1s' },
  connector: { CONNECTOR_SIM_DELAY: '0', CONNECTOR_PULL_EXPIRES: '1s' },
  'dlr-dispatcher': {
    DLR_PULL_EXPIRES: '1s',
    DLR_PUSH_PULL_EXPIRES: '1s',
    DLR_ACK_WAIT: '5s',
    DLR_ACCOUNT_ACK_WAIT: '6s',
    DLR_PUSH_TIMEOUT: '5s',
    DLR_PUSH_RETRY_DELAY_MAX: '1s',
    DLR_EDGE_RECONNECT_MAX: '1s',
  },
};

/** Starts NATS, creates the accounts, starts every service and waits until all are ready. */
export async function startLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
  const nats = options.cluster === undefined ? await startNatsServer() : undefined;
  const replicas = options.cluster?.replicas ?? 1;
  const nc = await connect(
    nats === undefined
      ? // Reconnects for as long as the test runs: nodes of the cluster die and come back.
        { ...options.cluster?.handle.connectOptions, maxReconnectAttempts: -1, reconnectTimeWait: 250 }
      : nats.connectOptions,
  );
  // As the provisioner (smsgw start, smsgw topology apply): what is missing, at the replicas every
  // service gets, and the stream limits; each service reconciles the rest of its own.
  const topology = await ensureTopology(nc, { owner: 'provisioner', replicas, ...options.limits });
  // The cheapest scrypt cost allowed: binds stay fast on a loaded machine.
  const passwordHash = await hashPassword(options.password, { cost: 1024, blockSize: 8, parallelization: 1 });
  const store = new AccountStore(topology.kv.accounts);
  for (const systemId of options.accounts) {
    await store.create({
      systemId,
      passwordHash,
      maxSubmitsPerSecond: 100_000,
      maxBinds: 100,
      ...(options.approvedPriorities === undefined
        ? {}
        : { approvedPriorities: [...options.approvedPriorities] }),
    });
  }

  const shared = {
    NATS_URL: nats === undefined ? (options.cluster?.handle.url ?? '') : childNatsUrl(nats),
    NATS_REPLICAS: String(replicas),
    SHUTDOWN_GRACE: '15s',
  };
  const ports = await getFreePorts(options.edges * 3 + 2 + options.dispatchers);
  let next = 0;
  const port = (): number => ports[next++] as number;
  const tracing = (service: ServiceName): Record<string, string> =>
    options.otlpEndpoint === undefined
      ? {}
      : {
          OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint,
          OTEL_SERVICE_NAME: service,
          // Export within a fifth of a second rather than the default 5 s: tests wait for the spans.
          OTEL_BSP_SCHEDULE_DELAY: '200',
        };
  const spawn = (slot: Omit<ServiceSlot, 'process'>): ServiceProcess =>
    new ServiceProcess(slot.service, slot.adminPort, {
      ...shared,
      ...tracing(slot.service),
      ...TEST_DEFAULTS[slot.service],
      ...options.env?.[slot.service],
      POD_NAME: slot.pod,
      ...slot.env,
    });
  const slot = (service: ServiceName, pod: string, env: Record<string, string> = {}): ServiceSlot => {
    const base = { service, pod, adminPort: port(), env };
    return { ...base, process: spawn(base) };
  };

  const edges: EdgeSlot[] = [];
  for (let i = 0; i < options.edges; i++) {
    const [smppPort, grpcPort] = [port(), port()];
    const env = {
      EDGE_SMPP_PORT: String(smppPort),
      EDGE_GRPC_PORT: String(grpcPort),
      EDGE_GRPC_ADDRESS: `127.0.0.1:${String(grpcPort)}`,
    };
    edges.push({ ...slot('edge', `edge-${String.fromCharCode(97 + i)}`, env), smppPort, grpcPort });
  }
  const router = slot('router', 'router-0');
  const connector = slot('connector', 'connector-0');
  const dispatchers = Array.from({ length: options.dispatchers }, (_, i) =>
    slot('dlr-dispatcher', `dlr-${String(i + 1)}`),
  );
  const slots = (): ServiceSlot[] => [...edges, router, connector, ...dispatchers];
  const outputs = (): string =>
    slots()
      .map((s) => s.process.output)
      .join('\n');
  const ready = async (s: ServiceSlot): Promise<void> => {
    // Generous: several test files and builds may share two cores.
    await s.process.waitReady(90_000);
    if ('smppPort' in s) await waitForListener((s as EdgeSlot).smppPort, 10_000);
  };

  const system: LocalSystem = {
    nats,
    nc,
    topology,
    edges,
    router,
    connector,
    dispatchers,
    slots,
    outputs,
    async restart(s, env) {
      if (env !== undefined) s.env = { ...s.env, ...env };
      s.process = spawn(s);
      await ready(s);
    },
    async close() {
      for (const s of slots()) s.process.kill();
      await nc.close();
      await nats?.stop();
    },
  };
  try {
    await Promise.all(slots().map(ready));
  } catch (error) {
    await system.close();
    throw error;
  }
  return system;
}
