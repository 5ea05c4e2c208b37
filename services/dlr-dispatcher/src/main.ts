/**
 * The dlr-dispatcher process: `node src/main.ts`. Configuration → logger →
 * metrics, readiness and admin endpoints → NATS → topology (it owns SMS_DLR,
 * but the backlog's cap and age are the provisioner's: it reads them from the
 * streams, docs/configuration.md "Stream limits") → the status intake
 * loop and the MO intake (SMS_MO, delivered the same way as reports) → the push side (presence watch, per-account backlog pumps, gRPC links
 * to the edges), with one shutdown path (SIGTERM/SIGINT): stop pulling
 * (intake), settle every received event and report (drain), then stop
 * watching presence, drain NATS and close (close).
 */
import { connectNats, ensureTopology, guardJetStreamReachability, trackConnection } from '@smsgw/nats';
import { runService, type ServiceContext } from '@smsgw/runtime';
import { backlogLimitOptions, noteBacklogLimits } from './backlog-limits.ts';
import { loadDispatcherConfig, type DispatcherConfig } from './config.ts';
import { openEnvelopeReader } from './envelope-reader.ts';
import { createDispatcherMetrics } from './metrics.ts';
import { observeJetStream } from './jetstream-gauges.ts';
import { startPusher } from './start-pusher.ts';
import { startMoWorker } from './mo-worker.ts';
import { startStatusWorker } from './status-worker.ts';

async function start({
  config,
  logger,
  metrics,
  readiness,
  shutdown,
  fail,
}: ServiceContext<DispatcherConfig>): Promise<void> {
  // A getter re-read after each await: a signal may have started shutdown meanwhile.
  const shuttingDown = (): boolean => shutdown.started;
  // Not ready before the worker pulls (and then while NATS is down).
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

  const topologyOptions = {
    owner: 'dlr-dispatcher',
    replicas: config.NATS_REPLICAS,
    // Used only to create streams nothing provisioned yet: the limits are the provisioner's.
    ...backlogLimitOptions(config),
    dlrDispatcher: { ackWaitMs: config.DLR_ACK_WAIT },
    dlrAccount: { ackWaitMs: config.DLR_ACCOUNT_ACK_WAIT, maxAckPending: config.DLR_ACCOUNT_MAX_IN_FLIGHT },
  } as const;
  const topology = await ensureTopology(nc, topologyOptions);
  if (shuttingDown()) return;
  noteBacklogLimits(config, topology, logger);

  const dispatcherMetrics = createDispatcherMetrics(metrics);
  observeJetStream(metrics, topology.jsm, config.DLR_METRICS_ACCOUNTS, logger);
  const { presence, pusher } = await startPusher({
    config,
    topology,
    topologyOptions,
    metrics: dispatcherMetrics,
    logger,
  });
  shutdown.onShutdown('dlr-push', () => pusher.stop(), 'drain');
  shutdown.onShutdown('presence-watch', () => presence.close(), 'close');
  void presence.closed().then(async (error) => {
    // Without presence no report can be pushed: a watch that ends on its own is fatal.
    if (error !== undefined && !shuttingDown()) await fail(error, 'the presence watch failed');
  });
  const worker = await startStatusWorker({
    js: topology.js,
    ...(await openEnvelopeReader(topology.js, topology.kv.envelopes)),
    logger,
    metrics: dispatcherMetrics,
    retry: { minMs: config.DLR_RETRY_DELAY_MIN, maxMs: config.DLR_RETRY_DELAY_MAX },
    maxEnvelopeAttempts: config.DLR_ENVELOPE_ATTEMPTS,
    direct: pusher,
    batchSize: config.DLR_BATCH_SIZE,
    pullExpiresMs: config.DLR_PULL_EXPIRES,
    concurrency: config.DLR_CONCURRENCY,
    lowerLaneEvery: config.DLR_LOWER_LANE_EVERY,
    ackWaitMs: config.DLR_ACK_WAIT,
    stallWatch: topology,
  });
  shutdown.onShutdown('status-intake', () => worker.stopIntake(), 'intake');
  shutdown.onShutdown('statuses-in-flight', () => worker.drained(), 'drain');
  // MOs take the same way as reports, with the status stage's bounds (docs/architecture.md, "An MO's life").
  const moWorker = await startMoWorker({
    js: topology.js,
    logger,
    metrics: dispatcherMetrics,
    retry: { minMs: config.DLR_RETRY_DELAY_MIN, maxMs: config.DLR_RETRY_DELAY_MAX },
    direct: pusher,
    batchSize: config.DLR_BATCH_SIZE,
    pullExpiresMs: config.DLR_PULL_EXPIRES,
    concurrency: config.DLR_CONCURRENCY,
    ackWaitMs: config.DLR_ACK_WAIT,
    stallWatch: topology,
  });
  shutdown.onShutdown('mo-intake', () => moWorker.stopIntake(), 'intake');
  shutdown.onShutdown('mos-in-flight', () => moWorker.drained(), 'drain');
  if (shuttingDown()) return;

  started = true;
}

await runService({ name: 'dlr-dispatcher', loadConfig: loadDispatcherConfig, start });
