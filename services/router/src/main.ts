/**
 * The router process: `node src/main.ts`. Configuration → logger → metrics,
 * readiness and admin endpoints → NATS → topology → accounts cache → the
 * intake loop, with one shutdown path (SIGTERM/SIGINT): stop pulling (intake),
 * settle every received submit (drain), then drain NATS and close (close).
 */
import {
  connectNats,
  ensureTopology,
  guardJetStreamReachability,
  openConnectorHealthBucket,
  trackConnection,
} from '@smsgw/nats';
import { AccountCache } from '@smsgw/accounts';
import { runService, type ServiceContext } from '@smsgw/runtime';
import { loadRouterConfig, type RouterConfig } from './config.ts';
import { ConnectorHealth } from './connector-health.ts';
import { watchConnectorHealth } from './health-watch.ts';
import { createRouterMetrics } from './metrics.ts';
import { startRouterWorker } from './router-worker.ts';

async function start({
  config,
  logger,
  metrics,
  readiness,
  shutdown,
}: ServiceContext<RouterConfig>): Promise<void> {
  // A getter re-read after each await: a signal may have started shutdown meanwhile.
  const shuttingDown = (): boolean => shutdown.started;
  // Not ready before the worker pulls (and then while NATS or the accounts watch is down).
  let started = false;
  readiness.register('started', () => started);

  const nc = await connectNats({
    servers: config.NATS_URL,
    name: `${config.SERVICE_NAME}-${config.POD_NAME}`,
  });
  readiness.register('nats', trackConnection(nc, logger));
  // A server that offers no JetStream (after a node hung) is left for another (docs/operations.md).
  guardJetStreamReachability({ nc, logger });
  shutdown.onShutdown('nats', () => nc.drain(), 'close');
  if (shuttingDown()) return;

  const topology = await ensureTopology(nc, {
    owner: 'router',
    replicas: config.NATS_REPLICAS,
    router: { ackWaitMs: config.ROUTER_ACK_WAIT },
  });

  const accounts = new AccountCache(topology.kv.accounts);
  await accounts.start();
  readiness.register('accounts', () => accounts.watching);
  logger.info({ accounts: accounts.size }, 'accounts loaded');
  if (shuttingDown()) return;

  // Routes fail over on the connectors' health, followed in memory (services/router/README.md, "Routes and failover").
  const { kv: healthKv } = await openConnectorHealthBucket(topology.js, topology.jsm, {
    owner: 'router',
    replicas: config.NATS_REPLICAS,
  });
  const health = new ConnectorHealth(config.ROUTER_FAILOVER_AFTER, Date.now());
  const healthWatch = await watchConnectorHealth(healthKv, health, logger);
  readiness.register('connector-health', () => healthWatch.watching);
  shutdown.onShutdown('connector-health', () => healthWatch.stop(), 'drain');
  if (shuttingDown()) return;

  const worker = await startRouterWorker({
    js: topology.js,
    accounts,
    logger,
    metrics: createRouterMetrics(metrics),
    retry: { minMs: config.ROUTER_RETRY_DELAY_MIN, maxMs: config.ROUTER_RETRY_DELAY_MAX },
    batchSize: config.ROUTER_BATCH_SIZE,
    pullExpiresMs: config.ROUTER_PULL_EXPIRES,
    concurrency: config.ROUTER_CONCURRENCY,
    lowerLaneEvery: config.ROUTER_LOWER_LANE_EVERY,
    ackWaitMs: config.ROUTER_ACK_WAIT,
    stallWatch: topology,
    routeSelection: {
      defaultRoute: config.ROUTER_DEFAULT_ROUTE,
      isDown: (connector) => health.isDown(connector, Date.now()),
    },
  });
  started = true;
  shutdown.onShutdown('submit-intake', () => worker.stopIntake(), 'intake');
  shutdown.onShutdown('submits-in-flight', () => worker.drained(), 'drain');
  // The watch would end with the connection's drain anyway; closing it first is the orderly way.
  shutdown.onShutdown('accounts', () => accounts.close(), 'drain');
}

await runService({ name: 'router', loadConfig: loadRouterConfig, start });
