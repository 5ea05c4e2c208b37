// The edge's environment: the variables every service shares (see @smsgw/runtime's README) plus
// its own EDGE_* variables and the shared DELIVER_WINDOW (docs/configuration.md). Read once at start by main.ts.
import { isIP } from 'node:net';
import {
  defineServiceConfig,
  env,
  loadConfig,
  sharedSettings,
  withRenamedVariables,
  type Environment,
} from '@smsgw/runtime';

/** The edge's variables before the naming rule of docs/configuration.md, still read when the new name is unset. */
export const edgeRenamedVariables = {
  SMPP_PORT: 'EDGE_SMPP_PORT',
  SMPP_HOST: 'EDGE_SMPP_HOST',
  SMPP_TLS_PORT: 'EDGE_SMPP_TLS_PORT',
  TLS_CERT_FILE: 'EDGE_TLS_CERT_FILE',
  TLS_KEY_FILE: 'EDGE_TLS_KEY_FILE',
  TLS_RELOAD_INTERVAL: 'EDGE_TLS_RELOAD_INTERVAL',
  SMPP_SYSTEM_ID: 'EDGE_SMPP_SYSTEM_ID',
  SMPP_WINDOW: 'EDGE_SMPP_WINDOW',
  SMPP_DELIVER_WINDOW: 'DELIVER_WINDOW',
  SMPP_BIND_TIMEOUT: 'EDGE_SMPP_BIND_TIMEOUT',
  SMPP_TLS_HANDSHAKE_TIMEOUT: 'EDGE_SMPP_TLS_HANDSHAKE_TIMEOUT',
  SMPP_INACTIVITY_TIMEOUT: 'EDGE_SMPP_INACTIVITY_TIMEOUT',
  SMPP_ENQUIRE_LINK_INTERVAL: 'EDGE_SMPP_ENQUIRE_LINK_INTERVAL',
} as const;

/** The edge's configuration schema: the base variables plus its own. */
export const edgeConfigSchema = withRenamedVariables(
  defineServiceConfig('edge', {
    /** Plain SMPP listener port (docs/architecture.md: 2775). */
    EDGE_SMPP_PORT: env.port().default(2775),
    /** Address both SMPP listeners bind to. */
    EDGE_SMPP_HOST: env.nonEmptyString().default('0.0.0.0'),
    /** SMPP-over-TLS listener port (docs/architecture.md: 8775); used only when EDGE_TLS_CERT_FILE and EDGE_TLS_KEY_FILE are set. */
    EDGE_SMPP_TLS_PORT: env.port().default(8775),
    /** PEM certificate (chain) of the TLS listener; reloaded when the file changes. */
    EDGE_TLS_CERT_FILE: env.nonEmptyString().optional(),
    /** PEM private key of the TLS listener; reloaded when the file changes. */
    EDGE_TLS_KEY_FILE: env.nonEmptyString().optional(),
    /** How often the certificate files are checked for changes (fs.watch misses atomic replaces on some volumes). */
    EDGE_TLS_RELOAD_INTERVAL: env.durationMs({ min: 100, max: 3_600_000 }).default(10_000),
    /** system_id the edge answers binds with. */
    EDGE_SMPP_SYSTEM_ID: env.nonEmptyString().default('smsgw'),
    /** Unanswered submits per session (the engine's inbound window): that many PubAcks may be in flight per session. */
    EDGE_SMPP_WINDOW: env.integer({ min: 1, max: 10_000 }).default(100),
    /**
     * Unanswered deliver_sm per receiving session (the engine's outbound window): how many DLRs a client
     * may hold unacknowledged before the edge sends it no more. Shared with the dispatchers, which
     * assume it of every receiving session (one value: docs/configuration.md, "Shared settings").
     */
    DELIVER_WINDOW: sharedSettings.DELIVER_WINDOW,
    /** Close sessions that did not bind within this time. */
    EDGE_SMPP_BIND_TIMEOUT: env.durationMs({ min: 100, max: 600_000 }).default(10_000),
    /** TLS: connections whose handshake has not finished this long after accept are destroyed (unset: EDGE_SMPP_BIND_TIMEOUT). */
    EDGE_SMPP_TLS_HANDSHAKE_TIMEOUT: env.durationMs({ min: 100, max: 600_000 }).optional(),
    /** Open SMPP connections (both listeners, TLS handshakes included) at most; more are closed at accept. */
    EDGE_MAX_CONNECTIONS: env.integer({ min: 1, max: 1_000_000 }).default(5_000),
    /** Open SMPP connections from one remote address at most (NATed customers share one). */
    EDGE_MAX_CONNECTIONS_PER_ADDRESS: env.integer({ min: 1, max: 1_000_000 }).default(500),
    /** Open SMPP connections not yet bound at most (each may hold up to ~64 KiB until it binds or times out). */
    EDGE_MAX_UNBOUND_CONNECTIONS: env.integer({ min: 1, max: 1_000_000 }).default(1_000),
    /** Close sessions that sent nothing for this long. */
    EDGE_SMPP_INACTIVITY_TIMEOUT: env.durationMs({ min: 1_000, max: 3_600_000 }).default(300_000),
    /** enquire_link sent after this much silence on a bound session. */
    EDGE_SMPP_ENQUIRE_LINK_INTERVAL: env.durationMs({ min: 1_000, max: 3_600_000 }).default(30_000),
    /** Longest wait for a PubAck; past it the submit is answered ESME_RMSGQFUL. */
    EDGE_PUBLISH_TIMEOUT: env.durationMs({ min: 100, max: 60_000 }).default(5_000),
    /** On shutdown, how long a session's unbind waits for the client's unbind_resp; well inside SHUTDOWN_GRACE. */
    EDGE_DRAIN_UNBIND_TIMEOUT: env.durationMs({ min: 100, max: 60_000 }).default(5_000),
    /** On shutdown, the window over which sessions are unbound one after another, so their clients do not all reconnect at once. */
    EDGE_DRAIN_UNBIND_SPREAD: env.durationMs({ min: 0, max: 120_000 }).default(3_000),
    /** First delay before a failed bind is answered; doubles per recent failure of the address or system_id. */
    EDGE_AUTH_FAILURE_DELAY: env.durationMs({ min: 0, max: 60_000 }).default(500),
    /** Longest delay before a failed bind is answered. */
    EDGE_AUTH_FAILURE_MAX_DELAY: env.durationMs({ min: 0, max: 300_000 }).default(30_000),
    /** Failures are forgotten this long after the last one. */
    EDGE_AUTH_FAILURE_WINDOW: env.durationMs({ min: 1_000, max: 86_400_000 }).default(900_000),
    /** Addresses and system_ids whose failures are remembered (least recently failed forgotten first). */
    EDGE_AUTH_FAILURE_ENTRIES: env.integer({ min: 1, max: 1_000_000 }).default(10_000),
    /** Bind password checks (scrypt) running at once in all; more wait in line (EDGE_AUTH_MAX_QUEUED). */
    EDGE_AUTH_MAX_CONCURRENT: env.integer({ min: 1, max: 64 }).default(4),
    /** Bind password checks running at once from one remote address (a customer opening a few sessions at once); more are refused ESME_RBINDFAIL without one. */
    EDGE_AUTH_MAX_CONCURRENT_PER_ADDRESS: env.integer({ min: 1, max: 64 }).default(4),
    /** Bind password checks waiting for a slot at most; more are refused ESME_RBINDFAIL without one. */
    EDGE_AUTH_MAX_QUEUED: env.integer({ min: 0, max: 10_000 }).default(16),
    /** How long a verified (system_id, password) pair binds without scrypt (0: never; a password change ends it at once). */
    EDGE_AUTH_CACHE_TTL: env.durationMs({ min: 0, max: 86_400_000 }).default(900_000),
    /** Verified pairs remembered at most (least recently used dropped first). */
    EDGE_AUTH_CACHE_ENTRIES: env.integer({ min: 1, max: 1_000_000 }).default(10_000),
    /** Port of the EdgeDelivery gRPC server (DLR delivery from dispatchers; insecure, cluster-internal), on EDGE_SMPP_HOST. */
    EDGE_GRPC_PORT: env.port().default(9091),
    /** How long a deliver_sm (DLR) waits for the client's deliver_sm_resp before the dispatcher is told TIMEOUT. */
    EDGE_DELIVER_TIMEOUT: env.durationMs({ min: 100, max: 300_000 }).default(10_000),
    /** Address dispatchers call for DLR delivery (gRPC EdgeDelivery), announced in presence. Default: see grpc-address.ts. */
    EDGE_GRPC_ADDRESS: env.nonEmptyString().optional(),
    /** The pod's IP (downward API status.podIP): the announced gRPC address is built from it when EDGE_GRPC_ADDRESS is unset. */
    POD_IP: env
      .nonEmptyString()
      .refine((ip) => isIP(ip) !== 0, 'an IPv4 or IPv6 address')
      .optional(),
    /** Fixed message-id node id (0..1023), e.g. a StatefulSet ordinal; unset = leased from the presence bucket. */
    EDGE_NODE_ID: env.integer({ min: 0, max: 1023 }).optional(),
    /** Accounts with an edge_account_sessions_bound series: those with the most bound sessions on this pod (0: none). */
    EDGE_METRICS_ACCOUNTS: env.integer({ min: 0, max: 10_000 }).default(50),
  }).refine((c) => (c.EDGE_TLS_CERT_FILE === undefined) === (c.EDGE_TLS_KEY_FILE === undefined), {
    path: ['EDGE_TLS_CERT_FILE'],
    message: 'EDGE_TLS_CERT_FILE and EDGE_TLS_KEY_FILE go together',
  }),
  edgeRenamedVariables,
);

/** Reads and validates the edge's configuration; throws ConfigError naming every bad variable. */
export function loadEdgeConfig(environment: Environment = process.env) {
  return loadConfig(edgeConfigSchema, environment);
}

/** The edge's parsed configuration. */
export type EdgeConfig = ReturnType<typeof loadEdgeConfig>;
