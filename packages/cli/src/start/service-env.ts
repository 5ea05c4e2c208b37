/**
 * The environment each service child gets from `smsgw start`: the shared
 * variables of @smsgw/runtime (NATS_URL, ADMIN_PORT…) plus the service's own
 * (the edge's SMPP_* and TLS_* from services/edge/src/config.ts, the
 * connector's SIM_DELAY_MS). Variables already set in smsgw start's own
 * environment win for the tunables (LOG_LEVEL, SIM_DELAY_MS), so
 * `SIM_DELAY_MS=0 ./run smsgw start` works.
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
    SHUTDOWN_GRACE_MS: parent['SHUTDOWN_GRACE_MS'] ?? '10000',
  };
  if (name === 'edge') {
    env['SMPP_HOST'] = '127.0.0.1';
    env['SMPP_PORT'] = String(settings.smppPort);
    env['EDGE_GRPC_ADDRESS'] = `127.0.0.1:${settings.grpcPort}`;
    env['EDGE_GRPC_PORT'] = String(settings.grpcPort);
    if (settings.tls === undefined) {
      delete env['TLS_CERT_FILE'];
      delete env['TLS_KEY_FILE'];
    } else {
      env['SMPP_TLS_PORT'] = String(settings.tls.port);
      env['TLS_CERT_FILE'] = settings.tls.certFile;
      env['TLS_KEY_FILE'] = settings.tls.keyFile;
    }
  }
  if (name === 'connector') env['SIM_DELAY_MS'] = parent['SIM_DELAY_MS'] ?? DEFAULT_SIM_DELAY_MS;
  return env;
}
