/**
 * The edge process: `node src/main.ts`. Configuration → logger → metrics,
 * readiness and admin endpoints → NATS → topology → accounts cache →
 * message-id node id → presence → the limits across pods (binds, bind
 * failures) → SMPP listeners (TCP, and TLS when a
 * certificate is configured) and the EdgeDelivery gRPC server (DLRs), with one shutdown path (SIGTERM/SIGINT):
 * intake (close listeners, refuse binds, withdraw presence), drain (finish
 * in-flight PubAcks, unbind sessions, free the node id), close (drain NATS,
 * admin server).
 */
import { connectNats, ensureTopology, guardJetStreamReachability } from '@smsgw/nats';
import { AccountCache } from '@smsgw/accounts';
import { runService, type ServiceContext } from '@smsgw/runtime';
import { createDeliveryMetrics } from './delivery/delivery-metrics.ts';
import { DeliveryServer } from './delivery/delivery-server.ts';
import { CertificateReloader, readCertificatePair } from './session/certificate-reloader.ts';
import { loadEdgeConfig, type EdgeConfig } from './config.ts';
import { Edge } from './edge.ts';
import { announcedGrpcAddress } from './delivery/grpc-address.ts';
import { fixedMessageIds, leasedMessageIds } from './ids/message-id-source.ts';
import { createEdgeMetrics } from './metrics.ts';
import { Presence } from './delivery/presence.ts';
import { AuthBackoff } from './bind/auth-backoff.ts';
import { BindFailureSync } from './bind/bind-failure-sync.ts';
import { ClusterBinds } from './bind/cluster-binds.ts';

async function start({
  config,
  logger,
  metrics,
  readiness,
  shutdown,
}: ServiceContext<EdgeConfig>): Promise<void> {
  const shuttingDown = (): boolean => shutdown.started;

  const nc = await connectNats({
    servers: config.NATS_URL,
    name: `${config.SERVICE_NAME}-${config.POD_NAME}`,
  });
  readiness.register('nats', () => !nc.isClosed() && !nc.isDraining());
  // A server that offers no JetStream (after a node hung) is left for another (docs/operations.md).
  guardJetStreamReachability({ nc, logger });
  shutdown.onShutdown('nats', () => nc.drain(), 'close');
  if (shuttingDown()) return;

  const topology = await ensureTopology(nc, { owner: 'edge', replicas: config.NATS_REPLICAS });
  const accounts = new AccountCache(topology.kv.accounts);
  await accounts.start();
  readiness.register('accounts', () => accounts.watching);
  logger.info({ accounts: accounts.size }, 'accounts loaded');
  if (shuttingDown()) return;

  const ttlMs = topology.options.presenceTtlMs;
  const ids =
    config.EDGE_NODE_ID === undefined
      ? await leasedMessageIds({ kv: topology.kv.presence, ttlMs, pod: config.POD_NAME, logger })
      : fixedMessageIds(config.EDGE_NODE_ID);
  logger.info({ nodeId: ids.nodeId }, 'message ids ready');
  readiness.register('message-ids', () => ids.nodeId !== undefined);
  const presence = new Presence({
    kv: topology.kv.presence,
    pod: config.POD_NAME,
    grpcAddress: announcedGrpcAddress(config),
    ttlMs,
    logger,
  });

  // Limits across pods (README "Limits across pods"): every pod's sessions and failed binds, from KV.
  const clusterBinds = new ClusterBinds({ kv: topology.kv.binds, pod: config.POD_NAME, ttlMs, logger });
  await clusterBinds.start();
  const authBackoff = {
    baseMs: config.EDGE_AUTH_FAILURE_DELAY,
    maxMs: config.EDGE_AUTH_FAILURE_MAX_DELAY,
    windowMs: config.EDGE_AUTH_FAILURE_WINDOW,
    maxEntries: config.EDGE_AUTH_FAILURE_ENTRIES,
  };
  const backoff = new AuthBackoff(authBackoff);
  const bindFailures = new BindFailureSync({ kv: topology.kv.bindFailures, backoff, logger });
  await bindFailures.start();

  const edge = new Edge({
    clusterBinds,
    backoff,
    bindFailures,
    js: topology.js,
    accounts,
    presence,
    ids,
    metrics: createEdgeMetrics(metrics, { accountLimit: config.EDGE_METRICS_ACCOUNTS }),
    logger,
    pod: config.POD_NAME,
    systemId: config.EDGE_SMPP_SYSTEM_ID,
    publishTimeoutMs: config.EDGE_PUBLISH_TIMEOUT,
    // A retried submit reuses its first attempt's Nats-Msg-Id only while SMS_SUBMIT would still drop it.
    unsettledSubmitsTtlMs: topology.options.duplicateWindowMs - config.EDGE_PUBLISH_TIMEOUT,
    // Shared with the other pods: a retry on another pod gets the first message id too.
    unsettledSubmitsKv: topology.kv.unsettledSubmits,
    drainUnbindTimeoutMs: config.EDGE_DRAIN_UNBIND_TIMEOUT,
    drainUnbindSpreadMs: config.EDGE_DRAIN_UNBIND_SPREAD,
    session: {
      inboundWindow: config.EDGE_SMPP_WINDOW,
      windowSize: config.DELIVER_WINDOW,
      bindTimeout: config.EDGE_SMPP_BIND_TIMEOUT,
      inactivityTimeout: config.EDGE_SMPP_INACTIVITY_TIMEOUT,
      enquireLinkInterval: config.EDGE_SMPP_ENQUIRE_LINK_INTERVAL,
    },
    connectionLimits: {
      maxConnections: config.EDGE_MAX_CONNECTIONS,
      maxPerAddress: config.EDGE_MAX_CONNECTIONS_PER_ADDRESS,
      maxUnbound: config.EDGE_MAX_UNBOUND_CONNECTIONS,
    },
    ...(config.EDGE_SMPP_TLS_HANDSHAKE_TIMEOUT === undefined
      ? {}
      : { tlsHandshakeTimeoutMs: config.EDGE_SMPP_TLS_HANDSHAKE_TIMEOUT }),
    passwordChecks: {
      maxConcurrent: config.EDGE_AUTH_MAX_CONCURRENT,
      maxPerAddress: config.EDGE_AUTH_MAX_CONCURRENT_PER_ADDRESS,
      maxQueued: config.EDGE_AUTH_MAX_QUEUED,
      cacheTtlMs: config.EDGE_AUTH_CACHE_TTL,
      cacheEntries: config.EDGE_AUTH_CACHE_ENTRIES,
    },
    authBackoff,
  });
  await edge.startSharing();
  const delivery = new DeliveryServer({
    receivers: edge,
    metrics: createDeliveryMetrics(metrics),
    logger,
    responseTimeoutMs: config.EDGE_DELIVER_TIMEOUT,
    closeTimeoutMs: config.EDGE_DRAIN_UNBIND_TIMEOUT,
  });
  shutdown.onShutdown(
    'edge-delivery',
    () => {
      delivery.stopIntake();
    },
    'intake',
  );
  shutdown.onShutdown('edge-delivery-drain', () => delivery.drain(), 'drain');
  shutdown.onShutdown(
    'smpp-listeners',
    () => {
      edge.stopIntake();
    },
    'intake',
  );
  shutdown.onShutdown('presence', () => presence.withdrawAll(), 'intake');
  shutdown.onShutdown(
    'sessions',
    async () => {
      await edge.drain();
      await edge.stopSharing();
      await clusterBinds.close();
      await bindFailures.close();
      await ids.close();
      await accounts.close();
    },
    'drain',
  );

  // Ready only once clients can connect: the pod takes no traffic before its SMPP ports listen.
  let listening = false;
  readiness.register('smpp-listeners', () => listening);
  await edge.listen(config.EDGE_SMPP_PORT, config.EDGE_SMPP_HOST);
  await delivery.listen(config.EDGE_GRPC_PORT, config.EDGE_SMPP_HOST);
  if (config.EDGE_TLS_CERT_FILE !== undefined && config.EDGE_TLS_KEY_FILE !== undefined) {
    const pair = readCertificatePair(config.EDGE_TLS_CERT_FILE, config.EDGE_TLS_KEY_FILE);
    const server = await edge.listen(config.EDGE_SMPP_TLS_PORT, config.EDGE_SMPP_HOST, {
      ...pair,
      minVersion: 'TLSv1.2',
    });
    const reloader = new CertificateReloader(
      {
        certFile: config.EDGE_TLS_CERT_FILE,
        keyFile: config.EDGE_TLS_KEY_FILE,
        intervalMs: config.EDGE_TLS_RELOAD_INTERVAL,
        apply: (next) => {
          server.setSecureContext({ ...next, minVersion: 'TLSv1.2' });
        },
        logger,
      },
      pair,
    );
    shutdown.onShutdown('tls-reloader', () => reloader.close(), 'intake');
  }
  listening = true;
}

await runService({ name: 'edge', loadConfig: loadEdgeConfig, start });
