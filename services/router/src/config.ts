// The router's environment: the variables every service shares (see @smsgw/runtime's README) plus
// its own. Read once at start by main.ts.
import { ConnectorListSchema, DEFAULT_CONNECTOR } from '@smsgw/accounts';
import { DEFAULT_TOPOLOGY_OPTIONS } from '@smsgw/nats';
import { defineServiceConfig, env, loadConfig, withRenamedVariables, type Environment } from '@smsgw/runtime';

/** Half the SMS_ROUTE duplicate window (2 min): a retried publish should land inside it (see retry.ts). */
const maxRetryDelayMs = 60_000;

/** The router's variables before the naming rule of docs/configuration.md, still read when the new name is unset. */
export const routerRenamedVariables = {
  ROUTER_FAILOVER_AFTER_MS: 'ROUTER_FAILOVER_AFTER',
} as const;

/** The router's configuration schema: the base variables plus ROUTER_*. */
export const routerConfigSchema = withRenamedVariables(
  defineServiceConfig('router', {
    /** Submits each priority lane pulls ahead (fetch max_messages); bounds what one replica holds unprocessed. */
    ROUTER_BATCH_SIZE: env.integer({ min: 1, max: 10_000 }).default(256),
    /** While a lower priority lane waits behind a busy higher one, it gets one submit in this many (0: strict). */
    ROUTER_LOWER_LANE_EVERY: env.integer({ min: 0, max: 1_000_000 }).default(10),
    /** How long one pull request waits for submits; a graceful stop waits for the current one to end. */
    ROUTER_PULL_EXPIRES: env.durationMs({ min: 1_000, max: 60_000 }).default(5_000),
    /** Submits routed at the same time by one replica (KV put + publish in flight). */
    ROUTER_CONCURRENCY: env.integer({ min: 1, max: 10_000 }).default(64),
    /** ack_wait of the router consumer: an unacked submit (a crashed replica's) is redelivered after this. */
    ROUTER_ACK_WAIT: env
      .durationMs({ min: 1_000, max: 600_000 })
      .default(DEFAULT_TOPOLOGY_OPTIONS.router.ackWaitMs),
    /** First nak delay after a failed attempt (KV or publish error); doubles per delivery. */
    ROUTER_RETRY_DELAY_MIN: env.durationMs({ min: 1, max: maxRetryDelayMs }).default(1_000),
    /** Longest nak delay; at most 60 s so that a retried publish stays inside the 2 min duplicate window. */
    ROUTER_RETRY_DELAY_MAX: env.durationMs({ min: 1, max: maxRetryDelayMs }).default(30_000),
    /**
     * The system-wide default route: the ordered connectors (comma-separated) of destinations no route of
     * their account matches, and of unknown accounts. The first that is not down takes the message.
     */
    ROUTER_DEFAULT_ROUTE: env
      .list()
      .superRefine((names, ctx) => {
        for (const issue of ConnectorListSchema.safeParse(names).error?.issues ?? []) {
          ctx.addIssue({ code: 'custom', message: issue.message });
        }
      })
      .default([DEFAULT_CONNECTOR]),
    /** A connector is down, and its routes' next connector takes over, when no replica of it has been ready for this long. */
    ROUTER_FAILOVER_AFTER: env.durationMs({ min: 0, max: 3_600_000 }).default(30_000),
  }).refine((c) => c.ROUTER_RETRY_DELAY_MIN <= c.ROUTER_RETRY_DELAY_MAX, {
    path: ['ROUTER_RETRY_DELAY_MIN'],
    message: 'must not exceed ROUTER_RETRY_DELAY_MAX',
  }),
  routerRenamedVariables,
);

/** Reads and validates the router's configuration; throws ConfigError naming every bad variable. */
export function loadRouterConfig(environment: Environment = process.env) {
  return loadConfig(routerConfigSchema, environment);
}

/** The router's parsed configuration. */
export type RouterConfig = ReturnType<typeof loadRouterConfig>;
