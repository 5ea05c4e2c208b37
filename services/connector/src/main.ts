/**
 * The connector service: `node src/main.ts`. Reads its lanes by strict
 * priority, hands messages to the configured driver and publishes what comes
 * back as status events. Configuration: README.md.
 */
import { connectNats, ensureTopology } from '@smsgw/nats';
import {
  createLogger,
  createMetrics,
  createShutdown,
  loadConfig,
  Readiness,
  startAdminServer,
} from '@smsgw/runtime';
import { connectorConfig } from './config.ts';
import { createConnectorMetrics } from './connector-metrics.ts';
import { startConnectorWorker } from './connector-worker.ts';
import { createDriver } from './drivers.ts';

const config = loadConfig(connectorConfig);
const logger = createLogger({ service: config.SERVICE_NAME, pod: config.POD_NAME, level: config.LOG_LEVEL });
const metrics = createMetrics({ service: config.SERVICE_NAME });
const readiness = new Readiness({ logger });
const admin = await startAdminServer({
  host: config.ADMIN_HOST,
  port: config.ADMIN_PORT,
  registry: metrics.registry,
  readiness,
  logger,
});
let exitWithFailure = false;
const shutdown = createShutdown({
  logger,
  graceMs: config.SHUTDOWN_GRACE_MS,
  readiness,
  // A failed start still shuts down in order, but must not look like a clean exit.
  exit: (code) => process.exit(exitWithFailure ? 1 : code),
});
shutdown.installSignalHandlers();
shutdown.onShutdown('admin', () => admin.close(), 'close');

/** Connects, ensures the topology and starts the worker, registering each part with shutdown. */
async function start(): Promise<void> {
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

  const { js } = await ensureTopology(nc, {
    owner: 'connector',
    replicas: config.NATS_REPLICAS,
    connectors: [config.CONNECTOR_NAME],
    connector: { ackWaitMs: config.ACK_WAIT_MS },
  });
  const driver = createDriver(config.CONNECTOR_DRIVER, { simDelayMs: config.SIM_DELAY_MS });
  shutdown.onShutdown('driver', () => driver.close(), 'close');
  const worker = await startConnectorWorker({
    js,
    connector: config.CONNECTOR_NAME,
    driver,
    logger,
    metrics: createConnectorMetrics(metrics),
    maxInFlight: config.MAX_IN_FLIGHT,
    ...(config.LANE_PREFETCH === undefined ? {} : { prefetch: config.LANE_PREFETCH }),
    pullExpiresMs: config.PULL_EXPIRES_MS,
    ackWaitMs: config.ACK_WAIT_MS,
    retry: { minMs: config.RETRY_MIN_MS, maxMs: config.RETRY_MAX_MS },
  });
  shutdown.onShutdown(
    'lanes',
    () => {
      worker.stopIntake();
    },
    'intake',
  );
  shutdown.onShutdown('in-flight', ({ signal }) => worker.drain(signal), 'drain');
  worker.done.catch(async (err: unknown) => {
    logger.fatal({ err }, 'connector worker failed');
    exitWithFailure = true;
    await shutdown.run('worker failed');
  });

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

try {
  await start();
} catch (err) {
  exitWithFailure = true;
  logger.fatal({ err }, 'connector failed to start');
  await shutdown.run('startup failed');
}
