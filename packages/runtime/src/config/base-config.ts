// The variables every service reads. Services extend this schema with their own variables:
//   const config = loadConfig(defineServiceConfig('edge', { EDGE_SMPP_PORT: env.port().default(2775) }));
// The naming rule (service prefix, durations without a unit) is docs/configuration.md's.
import { hostname } from 'node:os';
import { z } from 'zod';
import { env } from './env-shapes.ts';

/** Admin endpoints (/livez, /readyz, /metrics) listen on all interfaces: kubelet probes the pod IP. */
export const defaultAdminHost = '0.0.0.0';

/** Admin port: 9090, the conventional metrics port; set ADMIN_PORT when two services share a host. */
export const defaultAdminPort = 9090;

/** The local NATS server, for development; Kubernetes sets NATS_URL to the cluster's service. */
export const defaultNatsUrl = 'nats://127.0.0.1:4222';

/** 25 s: shutdown must end before Kubernetes' default terminationGracePeriodSeconds (30 s) kills the pod. */
export const defaultShutdownGraceMs = 25_000;

/** The schema of the variables every service shares; see the package README for each one. */
export const baseConfig = z.object({
  /** The service's name (edge, router, …): the `service` field of every log line and metric. */
  SERVICE_NAME: env.dnsLabel(),
  /** This pod's name; Kubernetes sets the hostname to it, so the hostname is the default. */
  POD_NAME: env.nonEmptyString().default(() => hostname()),
  /** The minimum pino level logged. */
  LOG_LEVEL: env.logLevel().default('info'),
  /** The admin server's listen address. */
  ADMIN_HOST: env.nonEmptyString().default(defaultAdminHost),
  /** The admin server's port. */
  ADMIN_PORT: env.port().default(defaultAdminPort),
  /** NATS servers, comma-separated: `nats://nats-0.nats:4222,nats://nats-1.nats:4222`. */
  NATS_URL: env.urlList({ protocols: ['nats', 'tls'] }).default(() => [defaultNatsUrl]),
  /** JetStream replicas for streams and KV buckets this service creates (1 in development, 3 in production). */
  NATS_REPLICAS: env.integer({ min: 1, max: 5 }).default(1),
  /** How long graceful shutdown may take before the remaining work is abandoned and the process exits 1 (was SHUTDOWN_GRACE_MS). */
  SHUTDOWN_GRACE: env.durationMs().default(defaultShutdownGraceMs),
});

/**
 * Settings that more than one service reads and that must agree: one name, one value (one chart
 * value), each service that needs one taking its schema from here (docs/configuration.md,
 * "Shared settings").
 */
export const sharedSettings = {
  /**
   * Unanswered deliver_sm per receiving session: the edge's outbound window, and the dispatchers'
   * assumption of a session's free window until its pod sends a credit. 10 is SMPP's customary window.
   */
  DELIVER_WINDOW: env.integer({ min: 1, max: 10_000 }).default(10),
};

/** The parsed base configuration. */
export type BaseConfig = z.output<typeof baseConfig>;

/**
 * The base schema extended with a service's own variables, with SERVICE_NAME defaulting to the
 * service's name (so a developer can start it without setting SERVICE_NAME).
 */
export function defineServiceConfig<S extends z.core.$ZodLooseShape>(serviceName: string, shape: S) {
  return baseConfig.extend({ SERVICE_NAME: env.dnsLabel().default(serviceName) }).extend(shape);
}
