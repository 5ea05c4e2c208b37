// The dispatcher's environment: the variables every service shares (see @smsgw/runtime's README) plus
// its own. Read once at start by main.ts.
import { defineServiceConfig, env, loadConfig, type Environment } from '@smsgw/runtime';

/** Half the SMS_DLR duplicate window (2 min): a retried publish should land inside it (see retry.ts). */
const maxRetryDelayMs = 60_000;

/** The duplicate window of every stream (topology default); the backlog's max age may not be shorter. */
const duplicateWindowMs = 120_000;

/** The dispatcher's configuration schema: the base variables plus DLR_*. */
export const dispatcherConfigSchema = defineServiceConfig('dlr-dispatcher', {
  /** Status events asked for per pull request (fetch max_messages). */
  DLR_BATCH_SIZE: env.integer({ min: 1, max: 10_000 }).default(256),
  /** How long one pull request waits for status events; a graceful stop waits for the current one to end. */
  DLR_PULL_EXPIRES: env.durationMs({ min: 1_000, max: 60_000 }).default(5_000),
  /** Status events handled at the same time by one replica (envelope read + publish in flight). */
  DLR_CONCURRENCY: env.integer({ min: 1, max: 10_000 }).default(64),
  /** ack_wait of the dlr-dispatcher consumer: an unacked event (a crashed replica's) is redelivered after this. */
  DLR_ACK_WAIT: env.durationMs({ min: 1_000, max: 600_000 }).default(30_000),
  /** First nak delay after a failed attempt; doubles per delivery. */
  DLR_RETRY_DELAY_MIN: env.durationMs({ min: 1, max: maxRetryDelayMs }).default(1_000),
  /** Longest nak delay; at most 60 s so that a retried publish stays inside the 2 min duplicate window. */
  DLR_RETRY_DELAY_MAX: env.durationMs({ min: 1, max: maxRetryDelayMs }).default(30_000),
  /** Deliveries of a status event whose envelope is missing before it is terminated (and counted). */
  DLR_ENVELOPE_ATTEMPTS: env.integer({ min: 1, max: 1_000 }).default(5),
  /** Reports kept per account while no receiver takes them; past it the oldest go first (SMS_DLR max_msgs_per_subject). */
  DLR_BACKLOG_MAX: env.integer({ min: 1, max: 10_000_000 }).default(25_000),
  /** How long an undelivered report is kept (SMS_DLR max_age). */
  DLR_BACKLOG_MAX_AGE: env.durationMs({ min: duplicateWindowMs }).default(48 * 60 * 60 * 1000),
}).refine((c) => c.DLR_RETRY_DELAY_MIN <= c.DLR_RETRY_DELAY_MAX, {
  path: ['DLR_RETRY_DELAY_MIN'],
  message: 'must not exceed DLR_RETRY_DELAY_MAX',
});

/** Reads and validates the dispatcher's configuration; throws ConfigError naming every bad variable. */
export function loadDispatcherConfig(environment: Environment = process.env) {
  return loadConfig(dispatcherConfigSchema, environment);
}

/** The dispatcher's parsed configuration. */
export type DispatcherConfig = ReturnType<typeof loadDispatcherConfig>;
