/**
 * The connector service: `node src/main.ts`. Reads its lanes by strict
 * priority, hands messages to the configured driver and publishes what comes
 * back as status events. Configuration: README.md.
 */
import { connectNats, ensureTopology, openConnectorHealthBucket } from '@smsgw/nats';
import { loadConfig, runService, type ServiceContext } from '@smsgw/runtime';
import { connectorConfig, type ConnectorConfig } from './config.ts';
import { createConnectorMetrics } from './connector-metrics.ts';
import { startConnectorWorker } from './connector-worker.ts';
import { createDriver } from './drivers.ts';
import { startHealthPublisher } from './health-publisher.ts';

/** Connects, ensures the topology and starts the worker, registering each part with shutdown. */
async function start({
  config,
  logger,
  metrics,
  readiness,
  shutdown,
  fail,
}: ServiceContext<ConnectorConfig>): Promise<void> {
  const nc = await connectNats({
    servers: config.NATS_URL,
    name: `${config.SERVICE_NAME}/${config.POD_NAME}`,
  });
  readiness.register('nats', () => !nc.isClosed());
  shutdown.onShutdown('nats', () => nc.drain(), 'close');
  nc.closed()
    .then(async (err) => {
      if (shutdown.started) return;
      logger.error({ err }, 'NATS connection closed for good');
      await shutdown.run('nats closed');
    })
    .catch((err: unknown) => {
      logger.fatal({ err }, 'shutdown after NATS closed failed');
    });

  const {
    js,
    jsm,
    options: topology,
  } = await ensureTopology(nc, {
    owner: 'connector',
    replicas: config.NATS_REPLICAS,
    connectors: [config.CONNECTOR_NAME],
    connector: { ackWaitMs: config.ACK_WAIT_MS },
    sim: { ackWaitMs: config.SIM_ACK_WAIT_MS },
  });
  const retry = { minMs: config.RETRY_MIN_MS, maxMs: config.RETRY_MAX_MS };
  const connectorMetrics = createConnectorMetrics(metrics);
  const driver = createDriver(config.CONNECTOR_DRIVER, {
    simLatency: config.SIM_DELAY_MS,
    simStore: {
      js,
      jsm,
      connector: config.CONNECTOR_NAME,
      topology,
      retry,
      accepted: connectorMetrics.simAccepted,
    },
    tryNextStatuses: new Set(config.TRY_NEXT_STATUSES),
  });
  const worker = await startConnectorWorker({
    js,
    connector: config.CONNECTOR_NAME,
    driver,
    logger,
    metrics: connectorMetrics,
    maxInFlight: config.MAX_IN_FLIGHT,
    ...(config.LANE_PREFETCH === undefined ? {} : { prefetch: config.LANE_PREFETCH }),
    pullExpiresMs: config.PULL_EXPIRES_MS,
    ackWaitMs: config.ACK_WAIT_MS,
    retry,
  });
  shutdown.onShutdown(
    'lanes',
    () => {
      worker.stopIntake();
    },
    'intake',
  );
  // The driver closes once the last send settled: the smpp driver waits for its last submit_sm_resp
  // before unbinding, the sim gives back the answers it holds for another replica.
  shutdown.onShutdown(
    'in-flight',
    async ({ signal }) => {
      await worker.drain(signal);
      await driver.close();
    },
    'drain',
  );
  worker.done.catch((err: unknown) => fail(err, 'connector worker failed'));

  // Whether this replica can hand messages over, for the router's failover (README.md, "Health").
  const health = await startHealthPublisher({
    kv: await openConnectorHealthBucket(js, jsm, {
      owner: 'connector',
      replicas: config.NATS_REPLICAS,
      ttlMs: config.CONNECTOR_HEALTH_TTL_MS,
    }),
    connector: config.CONNECTOR_NAME,
    pod: config.POD_NAME,
    driver,
    ttlMs: config.CONNECTOR_HEALTH_TTL_MS,
    logger,
    readyGauge: connectorMetrics.ready,
  });
  // Withdrawn first: while this replica drains, the router already counts it as gone.
  shutdown.onShutdown('health', () => health.withdraw(), 'intake');

  logger.info(
    {
      connector: config.CONNECTOR_NAME,
      driver: driver.kind,
      maxInFlight: config.MAX_IN_FLIGHT,
      ackWaitMs: config.ACK_WAIT_MS,
    },
    'connector started',
  );
}

await runService({ name: 'connector', loadConfig: () => loadConfig(connectorConfig), start });
