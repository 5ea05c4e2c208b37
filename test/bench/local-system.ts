/**
 * The whole local system for the gateway bench: a private nats-server
 * (@smsgw/testing, the local binary unless SMSGW_TEST_NATS says otherwise),
 * the topology, one account, and every service as a child process the way
 * `smsgw start` launches them (@smsgw/cli's discoverServices, serviceEnv and
 * ServiceProcess), on free ports, without TLS.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AccountStore, type Account } from '@smsgw/accounts';
import { addAccount, discoverServices, serviceEnv, ServiceProcess, type LaunchSettings } from '@smsgw/cli';
import { ensureTopology, type Topology } from '@smsgw/nats';
import { childNatsUrl, getFreePorts, startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { waitForListener } from '../support/wait-for-listener.ts';
import { BenchError } from './bench-error.ts';

/** What the system is started with. */
export interface LocalSystemOptions {
  /** The account the load binds as. */
  readonly systemId: string;
  readonly password: string;
  /** Sessions the account may bind at once. */
  readonly maxBinds: number;
  /** Priorities above 0 the account is approved for (default none). */
  readonly approvedPriorities?: readonly (1 | 2 | 3)[];
  /** The services' environment over the bench's own (LOG_LEVEL, CONNECTOR_SIM_DELAY, EDGE_SMPP_WINDOW…). */
  readonly env: NodeJS.ProcessEnv;
  /** Extra environment for one service, by name (e.g. NODE_OPTIONS for a CPU profile). */
  readonly envFor?: (service: string) => NodeJS.ProcessEnv | undefined;
  /** Where the services' output lines go. */
  readonly out: (line: string) => void;
  /** Longest wait for every service's /readyz. */
  readonly readyTimeoutMs: number;
}

/** The running system. */
export interface LocalSystem {
  readonly nats: NatsServerHandle;
  /** The bench's own connection (setup, the raw phase, stream states). */
  readonly nc: NatsConnection;
  readonly topology: Topology;
  /** The account the load binds as. */
  readonly account: Account;
  /** The edge's SMPP port on 127.0.0.1. */
  readonly smppPort: number;
  /** The service children, in start order. */
  readonly services: readonly ServiceProcess[];
  /** Stops the services (reverse start order: the edge first) gracefully, then NATS. */
  stop(graceMs: number): Promise<void>;
}

/**
 * Starts NATS, the topology, the account and the services; resolves once
 * every service is ready. Until stop(), SIGINT and SIGTERM kill the children
 * (started detached, they would outlive the bench) and exit 130; nats-server
 * goes with @smsgw/testing's exit hook.
 */
export async function startLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
  const backend = process.env['SMSGW_TEST_NATS'] === undefined ? 'binary' : undefined;
  const nats = await startNatsServer(backend === undefined ? {} : { backend });
  const services: ServiceProcess[] = [];
  let nc: NatsConnection | undefined;
  const interrupted = (): void => {
    for (const s of services) s.kill();
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const release = (): void => {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  };
  try {
    nc = await connect(nats.connectOptions);
    // 'none' as `smsgw start` does: create what is missing, leave each object's settings to its owner.
    const topology = await ensureTopology(nc, { owner: 'none' });
    const account = await addAccount(
      new AccountStore(topology.kv.accounts),
      options.systemId,
      options.password,
      {
        maxSubmitsPerSecond: 1_000_000,
        maxBinds: options.maxBinds,
        ...(options.approvedPriorities === undefined
          ? {}
          : { approvedPriorities: [...options.approvedPriorities] }),
      },
    );

    const entries = await discoverServices();
    const [smppPort, grpcPort, ...adminPorts] = await getFreePorts(2 + entries.length);
    if (smppPort === undefined || grpcPort === undefined) throw new BenchError('no free ports');
    const settings: LaunchSettings = {
      natsUrl: childNatsUrl(nats),
      smppPort,
      adminPortBase: 0, // replaced below by a free port per service
      grpcPort,
    };
    entries.forEach((entry, i) => {
      const adminPort = adminPorts[i] ?? 0;
      const env = serviceEnv(entry.name, i, settings, options.env);
      env['ADMIN_PORT'] = String(adminPort);
      Object.assign(env, options.envFor?.(entry.name));
      services.push(new ServiceProcess(entry, env, adminPort, options.out, true));
    });
    const ready = await Promise.all(services.map((s) => s.waitReady(options.readyTimeoutMs)));
    const notReady = services.filter((_, i) => ready[i] !== 'ready').map((s) => s.entry.name);
    if (notReady.length > 0)
      throw new BenchError(`not ready within ${options.readyTimeoutMs} ms: ${notReady.join(', ')}`);
    // Ready means listening today (main.ts' smpp-listeners check); the port is checked anyway, cheaply.
    await waitForListener(smppPort, 10_000);
    const openNc = nc;
    return {
      nats,
      nc: openNc,
      topology,
      account,
      smppPort,
      services,
      async stop(graceMs) {
        for (const s of [...services].reverse()) await s.stop(graceMs);
        await openNc.close();
        await nats.stop();
        release();
      },
    };
  } catch (error) {
    for (const s of services) s.kill();
    await nc?.close();
    await nats.stop();
    release();
    throw error;
  }
}
