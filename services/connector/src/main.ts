/**
 * The connector service: `node src/main.ts`. Reads its lanes by strict
 * priority, hands messages to the configured driver and publishes what comes
 * back as status events. Configuration: README.md.
 */
import { NumberDirectory } from '@smsgw/accounts';
import {
  bucketTtlMsOf,
  connectNats,
  ensureTopology,
  ensureUpstreamIdsBucket,
  guardJetStreamReachability,
  openConnectorHealthBucket,
  readConnectorHealthTtl,
} from '@smsgw/nats';
import { runService, type ServiceContext } from '@smsgw/runtime';
import { noteBucketTtls } from './bucket-ttls.ts';
import { reservedInFlight, type ConnectorConfig } from './config.ts';
import { createConnectorMetrics } from './connector-metrics.ts';
import { startConnectorWorker } from './connector-worker.ts';
import { createDriver } from './drivers.ts';
import { startHealthPublisher } from './health-publisher.ts';
import { loadConnectorConfig } from './load-connector-config.ts';
import { createMoReceiver } from './mo/mo-intake.ts';
import { createMoMetrics } from './mo/mo-metrics.ts';
import { startSimMoListener } from './sim/sim-mo-listener.ts';
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
  // A server that offers no JetStream (after a node hung) is left for another (docs/operations.md).
  guardJetStreamReachability({ nc, logger });
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
    kv,
    options: topology,
  } = await ensureTopology(nc, {
    owner: 'connector',
    replicas: config.NATS_REPLICAS,
    connectors: [config.CONNECTOR_NAME],
    connector: { ackWaitMs: config.CONNECTOR_ACK_WAIT },
    sim: { ackWaitMs: config.CONNECTOR_SIM_ACK_WAIT },
  });
  // The buckets' TTLs are the provisioner's (docs/configuration.md, "Stream limits"): the deprecated
  // variables only shape a bucket created here; this replica goes by what the buckets hold.
  const healthBucket = await openConnectorHealthBucket(js, jsm, {
    owner: 'connector',
    replicas: config.NATS_REPLICAS,
    ...(config.CONNECTOR_HEALTH_TTL === undefined ? {} : { ttlMs: config.CONNECTOR_HEALTH_TTL }),
  });
  const upstreamIdTtl =
    config.CONNECTOR_SMPP_UPSTREAM_ID_TTL === undefined
      ? {}
      : { ttlMs: config.CONNECTOR_SMPP_UPSTREAM_ID_TTL };
  const upstreamIds =
    config.CONNECTOR_DRIVER === 'smpp'
      ? await ensureUpstreamIdsBucket(jsm, {
          owner: 'connector',
          replicas: config.NATS_REPLICAS,
          ...upstreamIdTtl,
        })
      : undefined;
  noteBucketTtls(
    config,
    {
      connectorHealthTtlMs: healthBucket.ttlMs,
      ...(upstreamIds === undefined ? {} : { upstreamIdTtlMs: bucketTtlMsOf(upstreamIds.config) }),
    },
    logger,
  );
  const retry = { minMs: config.CONNECTOR_RETRY_DELAY_MIN, maxMs: config.CONNECTOR_RETRY_DELAY_MAX };
  const connectorMetrics = createConnectorMetrics(metrics);
  const driver = createDriver(config.CONNECTOR_DRIVER, {
    simLatency: config.CONNECTOR_SIM_DELAY,
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
                ...upstreamIdTtl,
              }),
          },
        }
      : {}),
  });
  // Who owns which number, for MOs (README.md, "Mobile-originated messages"): followed as it changes.
  const numbers = new NumberDirectory(kv.numbers, {
    onInvalid: (err) => {
      logger.error({ err }, 'the stored number plan cannot be read; the previous one stays in use');
    },
  });
  await numbers.start();
  shutdown.onShutdown('numbers', () => numbers.close(), 'close');
  const receiveMo = createMoReceiver({
    js,
    connector: config.CONNECTOR_NAME,
    owners: () => numbers,
    unownedStatus: config.CONNECTOR_MO_UNOWNED_COMMAND_STATUS,
    metrics: createMoMetrics(metrics),
    logger,
  });
  if (config.CONNECTOR_DRIVER === 'sim') {
    const handsets = startSimMoListener({ nc, connector: config.CONNECTOR_NAME, receiveMo, logger });
    shutdown.onShutdown('sim-mo', () => handsets.stop(), 'intake');
  }
  const worker = await startConnectorWorker({
    receiveMo,
    js,
    connector: config.CONNECTOR_NAME,
    driver,
    logger,
    metrics: connectorMetrics,
    maxInFlight: config.CONNECTOR_MAX_IN_FLIGHT,
    reservedInFlight: reservedInFlight(config),
    lowerLaneEvery: config.CONNECTOR_LOWER_LANE_EVERY,
    ...(config.CONNECTOR_LANE_PREFETCH === undefined ? {} : { prefetch: config.CONNECTOR_LANE_PREFETCH }),
    pullExpiresMs: config.CONNECTOR_PULL_EXPIRES,
    ackWaitMs: config.CONNECTOR_ACK_WAIT,
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

  // Whether this replica can hand messages over, for the router's failover (README.md, "Health"),
  // rewritten every third of the bucket's TTL, which is read again before each rewrite.
  const health = await startHealthPublisher({
    kv: healthBucket.kv,
    connector: config.CONNECTOR_NAME,
    pod: config.POD_NAME,
    driver,
    ttlMs: healthBucket.ttlMs,
    readTtlMs: () => readConnectorHealthTtl(jsm),
    logger,
    readyGauge: connectorMetrics.ready,
  });
  // Withdrawn first: while this replica drains, the router already counts it as gone.
  shutdown.onShutdown('health', () => health.withdraw(), 'intake');

  logger.info(
    {
      connector: config.CONNECTOR_NAME,
      driver: driver.kind,
      maxInFlight: config.CONNECTOR_MAX_IN_FLIGHT,
      ackWaitMs: config.CONNECTOR_ACK_WAIT,
    },
    'connector started',
  );
}

await runService({ name: 'connector', loadConfig: () => loadConnectorConfig(), start });
