/**
 * The connector service: `node src/main.ts`. Reads its lanes by strict
 * priority, hands messages to the configured driver and publishes what comes
 * back as status events. Configuration: README.md.
 */
import { connectNats, ensureTopology, openConnectorHealthBucket } from '@smsgw/nats';
import { runService, type ServiceContext } from '@smsgw/runtime';
import { reservedInFlight, type ConnectorConfig } from './config.ts';
import { createConnectorMetrics } from './connector-metrics.ts';
import { startConnectorWorker } from './connector-worker.ts';
import { createDriver } from './drivers.ts';
import { startHealthPublisher } from './health-publisher.ts';
import { loadConnectorConfig } from './load-connector-config.ts';
import { smppSettingsOf } from './smpp/smpp-settings.ts';
import { openUpstreamIdStore } from './smpp/upstream-id-store.ts';

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
      stallWatch: { jsm, nc },
    },
    ...(config.CONNECTOR_DRIVER === 'smpp'
      ? {
          smpp: {
            settings: smppSettingsOf(config),
            metrics,
            openStore: () =>
              openUpstreamIdStore({
                js,
                jsm,
                connector: config.CONNECTOR_NAME,
                replicas: config.NATS_REPLICAS,
                ttlMs: config.SMPP_UPSTREAM_ID_TTL_MS,
              }),
          },
        }
      : {}),
  });
  const worker = await startConnectorWorker({
    js,
    connector: config.CONNECTOR_NAME,
    driver,
    logger,
    metrics: connectorMetrics,
    maxInFlight: config.MAX_IN_FLIGHT,
    reservedInFlight: reservedInFlight(config),
    lowerLaneEvery: config.LOWER_LANE_EVERY,
    ...(config.LANE_PREFETCH === undefined ? {} : { prefetch: config.LANE_PREFETCH }),
    pullExpiresMs: config.PULL_EXPIRES_MS,
    ackWaitMs: config.ACK_WAIT_MS,
    retry,
    stallWatch: { jsm, nc },
  });
  shutdown.onShutdown(
    'lanes',
    () => {
      worker.stopIntake();
    },
    'intake',
  );
  // The driver closes in the drain phase, after the last send settled and while NATS is still
  // connected: an smpp driver's receivers unbind last and answer receipts only after their PubAck.
  shutdown.onShutdown(
    'in-flight',
    async ({ signal }) => {
      try {
        await worker.drain(signal);
      } finally {
        await driver.close();
      }
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

await runService({ name: 'connector', loadConfig: () => loadConnectorConfig(), start });
