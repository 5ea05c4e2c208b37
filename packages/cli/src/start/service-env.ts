/**
 * The environment each service child gets from `smsgw start`: the shared
 * variables of @smsgw/runtime (NATS_URL, ADMIN_PORT…) plus the service's own
 * (the edge's EDGE_SMPP_* and EDGE_TLS_* from services/edge/src/config.ts, the
 * connector's CONNECTOR_SIM_DELAY; names: docs/configuration.md). Variables
 * already set in smsgw start's own environment win for the tunables
 * (LOG_LEVEL, SHUTDOWN_GRACE, CONNECTOR_SIM_DELAY, or their old names), so
 * `CONNECTOR_SIM_DELAY=0 ./run smsgw start` works. The stream limits
 * (DLR_BACKLOG_*) and connector bucket TTLs (CONNECTOR_HEALTH_TTL,
 * CONNECTOR_SMPP_UPSTREAM_ID_TTL, or their old names) are smsgw start's own:
 * it applies them as the provisioner and passes them to no service.
 */

/** What the launcher decided, for every service. */
export interface LaunchSettings {
  readonly natsUrl: string;
  readonly smppPort: number;
  /** undefined with --no-tls. */
  readonly tls?: { readonly port: number; readonly certFile: string; readonly keyFile: string };
  /** Admin port of the service: base + its index + 1. */
  readonly adminPortBase: number;
  /** gRPC port of the edge's EdgeDelivery. */
  readonly grpcPort: number;
  /** NATS_REPLICAS of every service: the replicas `smsgw start` created the topology with (default 1). */
  readonly replicas?: number;
}

/** The local simulator's delay before its final answer: long enough to see ENROUTE → DELIVRD happen, short for a demo. */
export const DEFAULT_SIM_DELAY_MS = '500ms-3s';

/** The provisioner's variables (topology-settings.ts): applied by smsgw start, not for the services. */
const PROVISIONER_VARIABLES = [
  'DLR_BACKLOG_MAX',
  'DLR_PRIORITY_BACKLOG_MAX',
  'DLR_BACKLOG_MAX_AGE',
  'CONNECTOR_HEALTH_TTL',
  'CONNECTOR_HEALTH_TTL_MS',
  'CONNECTOR_SMPP_UPSTREAM_ID_TTL',
  'SMPP_UPSTREAM_ID_TTL_MS',
];

/** The variables for service `name`, started `index`-th, over the launcher's own environment. */
export function serviceEnv(
  name: string,
  index: number,
  settings: LaunchSettings,
  parent: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...parent,
    SERVICE_NAME: name,
    POD_NAME: `${name}-local`,
    NATS_URL: settings.natsUrl,
    NATS_REPLICAS: String(settings.replicas ?? 1),
    ADMIN_HOST: '127.0.0.1',
    ADMIN_PORT: String(settings.adminPortBase + index + 1),
    LOG_LEVEL: parent['LOG_LEVEL'] ?? 'info',
  };
  // Old names of what is set here are dropped, so that one inherited from the parent cannot contradict it.
  const dropped = new Set(['SHUTDOWN_GRACE_MS', ...PROVISIONER_VARIABLES]);
  env['SHUTDOWN_GRACE'] = parent['SHUTDOWN_GRACE'] ?? parent['SHUTDOWN_GRACE_MS'] ?? '10s';
  if (name === 'edge') {
    env['EDGE_SMPP_HOST'] = '127.0.0.1';
    env['EDGE_SMPP_PORT'] = String(settings.smppPort);
    env['EDGE_GRPC_ADDRESS'] = `127.0.0.1:${settings.grpcPort}`;
    env['EDGE_GRPC_PORT'] = String(settings.grpcPort);
    for (const old of ['SMPP_HOST', 'SMPP_PORT', 'SMPP_TLS_PORT', 'TLS_CERT_FILE', 'TLS_KEY_FILE'])
      dropped.add(old);
    if (settings.tls === undefined) {
      dropped.add('EDGE_TLS_CERT_FILE').add('EDGE_TLS_KEY_FILE');
    } else {
      env['EDGE_SMPP_TLS_PORT'] = String(settings.tls.port);
      env['EDGE_TLS_CERT_FILE'] = settings.tls.certFile;
      env['EDGE_TLS_KEY_FILE'] = settings.tls.keyFile;
    }
  }
  if (name === 'connector') {
    env['CONNECTOR_SIM_DELAY'] =
      parent['CONNECTOR_SIM_DELAY'] ?? parent['SIM_DELAY_MS'] ?? DEFAULT_SIM_DELAY_MS;
    dropped.add('SIM_DELAY_MS');
  }
  return Object.fromEntries(Object.entries(env).filter(([variable]) => !dropped.has(variable)));
}
