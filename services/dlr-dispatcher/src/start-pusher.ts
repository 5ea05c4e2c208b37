/**
 * Builds the push side from the dispatcher's configuration: the presence view
 * (TTL from the presence bucket itself, so it matches what the edges refresh
 * against) and the DeliveryPusher with its settings.
 */
import type { JetStreamManager } from '@nats-io/jetstream';
import { ensureDlrConsumer, type EnsureTopologyOptions, type Priority, type Topology } from '@smsgw/nats';
import type { Logger } from '@smsgw/runtime';
import { KEEP_ALIVE_MS, type DispatcherConfig } from './config.ts';
import { DeliveryPusher } from './delivery-pusher.ts';
import type { DispatcherMetrics } from './metrics.ts';
import { backlogReader, presenceSize } from './backlog-reading.ts';
import { PresenceView } from './presence-view.ts';

/** What startPusher needs. */
export interface StartPusherOptions {
  readonly config: DispatcherConfig;
  readonly topology: Topology;
  /** The options the dispatcher ensured the topology with (per-account consumers are ensured with the same). */
  readonly topologyOptions: EnsureTopologyOptions;
  readonly metrics: DispatcherMetrics;
  readonly logger: Logger;
}

/** The running push side. */
export interface Pusher {
  readonly presence: PresenceView;
  readonly pusher: DeliveryPusher;
}

/** Starts following presence and pumping each account's backlog to its receivers. */
export async function startPusher(options: StartPusherOptions): Promise<Pusher> {
  const { config, topology, topologyOptions, metrics, logger } = options;
  const kv = topology.kv.presence;
  // The bucket's own TTL is what the edges refresh against (its owner, the edge, may configure another).
  const bucketTtl = (await kv.status()).ttl;
  const ttlMs = bucketTtl > 0 ? bucketTtl : topology.options.presenceTtlMs;
  const presence = new PresenceView({ kv, ttlMs, logger });
  await presence.start();
  metrics.observePresence(() => presenceSize(presence));
  metrics.observeBacklog(backlogReader(topology.jsm, logger), config.DLR_METRICS_ACCOUNTS);
  const pusher = new DeliveryPusher({
    js: topology.js,
    presence,
    ensureConsumer: async (jsm: JetStreamManager, account: string, priority: Priority) =>
      (await ensureDlrConsumer(jsm, account, topologyOptions, priority)).name,
    metrics,
    logger,
    sessionWindow: config.DELIVER_WINDOW,
    probeIntervalMs: config.DLR_PROBE_INTERVAL,
    maxAttempts: config.DLR_PUSH_ATTEMPTS,
    retry: { minMs: config.DLR_PUSH_RETRY_DELAY_MIN, maxMs: config.DLR_PUSH_RETRY_DELAY_MAX },
    // A wait starts at most KEEP_ALIVE_MS after the delivery or a working(): it must end well inside ack_wait.
    roomWaitMs: Math.max(
      0,
      Math.min(config.DLR_PUSH_ROOM_WAIT, Math.floor(config.DLR_ACCOUNT_ACK_WAIT / 2) - 2 * KEEP_ALIVE_MS),
    ),
    resultTimeoutMs: config.DLR_PUSH_TIMEOUT,
    reconnect: { minMs: config.DLR_EDGE_RECONNECT_MIN, maxMs: config.DLR_EDGE_RECONNECT_MAX },
    batchSize: config.DLR_PUSH_BATCH_SIZE,
    pullExpiresMs: config.DLR_PUSH_PULL_EXPIRES,
    lowerLaneEvery: config.DLR_LOWER_LANE_EVERY,
    stallWatch: topology,
    directHold: {
      // The held event's ack wait runs meanwhile, and the attempt that follows may wait on the client.
      roomWaitMs: Math.min(config.DLR_DIRECT_ROOM_WAIT, Math.floor(config.DLR_ACK_WAIT / 4)),
      // The other half of the stage's slots stays for the accounts that have room (docs/architecture.md).
      maxHeld: Math.floor(config.DLR_CONCURRENCY / 2),
    },
  });
  pusher.start();
  logger.info({ accounts: presence.accounts().length }, 'pushing DLRs to the edges holding receivers');
  return { presence, pusher };
}
