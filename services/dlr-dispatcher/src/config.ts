// The dispatcher's environment: the variables every service shares (see @smsgw/runtime's README) plus
// its own (docs/configuration.md). Read once at start by main.ts.
import { DEFAULT_TOPOLOGY_OPTIONS } from '@smsgw/nats';
import {
  defineServiceConfig,
  env,
  loadConfig,
  sharedSettings,
  withRenamedVariables,
  type Environment,
} from '@smsgw/runtime';

/**
 * How long after a report's delivery (or its last working()) a push step may still start without a
 * working() first (push-report.ts): DLR_PUSH_TIMEOUT and the wait for room are both kept at least this
 * much under DLR_ACCOUNT_ACK_WAIT (the refinement below, start-pusher.ts).
 */
export const KEEP_ALIVE_MS = 500;

/** Half the SMS_DLR duplicate window (2 min): a retried publish should land inside it (see retry.ts). */
const maxRetryDelayMs = 60_000;

/** The duplicate window of every stream (topology default); the backlog's max age may not be shorter. */
const duplicateWindowMs = 120_000;

/** The dispatcher's variables before the naming rule of docs/configuration.md, still read when the new name is unset. */
export const dispatcherRenamedVariables = {
  DLR_SESSION_WINDOW: 'DELIVER_WINDOW',
} as const;

/** The variables that set the DLR backlog's stream limits: the provisioner's, deprecated on a dispatcher. */
export const backlogLimitVariables = [
  'DLR_BACKLOG_MAX',
  'DLR_PRIORITY_BACKLOG_MAX',
  'DLR_BACKLOG_MAX_AGE',
] as const;

/** The dispatcher's configuration schema: the base variables plus DLR_* and the shared DELIVER_WINDOW. */
export const dispatcherConfigSchema = withRenamedVariables(
  defineServiceConfig('dlr-dispatcher', {
    /** Status events each priority lane pulls ahead (fetch max_messages). */
    DLR_BATCH_SIZE: env.integer({ min: 1, max: 10_000 }).default(256),
    /** How long one pull request waits for status events; a graceful stop waits for the current one to end. */
    DLR_PULL_EXPIRES: env.durationMs({ min: 1_000, max: 60_000 }).default(5_000),
    /** Status events handled at the same time by one replica (envelope read + publish in flight). */
    DLR_CONCURRENCY: env.integer({ min: 1, max: 10_000 }).default(64),
    /** While a lower priority lane (status events, an account's backlog) waits behind a busy higher one, it gets one in this many (0: strict). */
    DLR_LOWER_LANE_EVERY: env.integer({ min: 0, max: 1_000_000 }).default(10),
    /** ack_wait of the dlr-dispatcher consumers: an unacked event (a crashed replica's) is redelivered after this. */
    DLR_ACK_WAIT: env.durationMs({ min: 1_000, max: 600_000 }).default(30_000),
    /** First nak delay after a failed attempt; doubles per delivery. */
    DLR_RETRY_DELAY_MIN: env.durationMs({ min: 1, max: maxRetryDelayMs }).default(1_000),
    /** Longest nak delay; at most 60 s so that a retried publish stays inside the 2 min duplicate window. */
    DLR_RETRY_DELAY_MAX: env.durationMs({ min: 1, max: maxRetryDelayMs }).default(30_000),
    /** Deliveries of a status event whose envelope is missing before it is terminated (and counted). */
    DLR_ENVELOPE_ATTEMPTS: env.integer({ min: 1, max: 1_000 }).default(5),
    /**
     * Deprecated here: the backlog limits are the provisioner's (`smsgw topology apply`, the chart's
     * topology Job; docs/configuration.md, "Stream limits"). A dispatcher uses these three only to
     * create SMS_DLR and SMS_DLR_PRIORITY when nothing provisioned them yet, and logs a warning when
     * they are set; it never changes the streams' limits. Reports kept per account in total.
     */
    DLR_BACKLOG_MAX: env.integer({ min: 4, max: 10_000_000 }).optional(),
    /** Deprecated here (see DLR_BACKLOG_MAX): reports kept per account and priority 1..3. */
    DLR_PRIORITY_BACKLOG_MAX: env.integer({ min: 1, max: 3_333_333 }).optional(),
    /** Deprecated here (see DLR_BACKLOG_MAX): how long an undelivered report is kept. */
    DLR_BACKLOG_MAX_AGE: env.durationMs({ min: duplicateWindowMs }).optional(),

    // Push side: backlog → edge pods over gRPC EdgeDelivery.
    /** Most reports asked for per pull of one account's backlog (fewer when its receivers have less free window). */
    DLR_PUSH_BATCH_SIZE: env.integer({ min: 1, max: 10_000 }).default(256),
    /** How long one pull of an account's backlog waits for reports; stopping a pump waits for the current one. */
    DLR_PUSH_PULL_EXPIRES: env.durationMs({ min: 1_000, max: 60_000 }).default(5_000),
    /** Attempts per report, each on another pod, before it goes back to the backlog for later. */
    DLR_PUSH_ATTEMPTS: env.integer({ min: 1, max: 100 }).default(3),
    /** Delay before a report no pod took is offered again; doubles per delivery up to DLR_PUSH_RETRY_DELAY_MAX. */
    DLR_PUSH_RETRY_DELAY_MIN: env.durationMs({ min: 1, max: 600_000 }).default(500),
    /** Longest such delay. */
    DLR_PUSH_RETRY_DELAY_MAX: env.durationMs({ min: 1, max: 600_000 }).default(15_000),
    /** How long a report that found every window of its account full waits in hand for room before it is nak'ed (at most half DLR_ACCOUNT_ACK_WAIT less 1s). */
    DLR_PUSH_ROOM_WAIT: env.durationMs({ min: 0, max: 600_000 }).default(10_000),
    /**
     * How long a report of the status or MO stage that found every window of its account full waits in memory
     * for room (in the account's room queue, by priority then arrival, behind backlog reports that waited first)
     * before it is stored in the backlog; its event stays unacked meanwhile (docs/architecture.md, "A message's
     * life"). At most half DLR_CONCURRENCY are held, per account at most its window; an account whose hold
     * timed out gets none for 5 s. 0: no holds, straight to the backlog. Capped at a quarter of DLR_ACK_WAIT.
     */
    DLR_DIRECT_ROOM_WAIT: env.durationMs({ min: 0, max: 10_000 }).default(1_000),
    /** How long an attempt waits for the edge's outcome; above the edges' EDGE_DELIVER_TIMEOUT (10 s). */
    DLR_PUSH_TIMEOUT: env.durationMs({ min: 100, max: 600_000 }).default(30_000),
    /** Free window assumed per receiving session until its pod sends a credit: the edges' window (one value, docs/configuration.md). */
    DELIVER_WINDOW: sharedSettings.DELIVER_WINDOW,
    /** Least time between probes of a pod that reported no free window. */
    DLR_PROBE_INTERVAL: env.durationMs({ min: 10, max: 60_000 }).default(1_000),
    /** First pause before dialling an edge again after its stream broke; doubles up to DLR_EDGE_RECONNECT_MAX. */
    DLR_EDGE_RECONNECT_MIN: env.durationMs({ min: 10, max: 60_000 }).default(250),
    /** Longest such pause. */
    DLR_EDGE_RECONNECT_MAX: env.durationMs({ min: 10, max: 300_000 }).default(5_000),
    /** ack_wait of the per-account DLR consumers: a crashed replica's reports in hand are offered again after this. */
    DLR_ACCOUNT_ACK_WAIT: env.durationMs({ min: 1_000, max: 600_000 }).default(60_000),
    /** Reports of one account in flight at once across all replicas (the consumer's max_ack_pending). */
    DLR_ACCOUNT_MAX_IN_FLIGHT: env.integer({ min: 1, max: 100_000 }).default(256),
    /** Accounts with the largest backlogs that get their own dlr_dispatcher_account_backlog_messages series (0: none). */
    DLR_METRICS_ACCOUNTS: env.integer({ min: 0, max: 10_000 }).default(50),
  })
    .refine((c) => c.DLR_RETRY_DELAY_MIN <= c.DLR_RETRY_DELAY_MAX, {
      path: ['DLR_RETRY_DELAY_MIN'],
      message: 'must not exceed DLR_RETRY_DELAY_MAX',
    })
    .refine((c) => c.DLR_PUSH_RETRY_DELAY_MIN <= c.DLR_PUSH_RETRY_DELAY_MAX, {
      path: ['DLR_PUSH_RETRY_DELAY_MIN'],
      message: 'must not exceed DLR_PUSH_RETRY_DELAY_MAX',
    })
    .refine((c) => c.DLR_EDGE_RECONNECT_MIN <= c.DLR_EDGE_RECONNECT_MAX, {
      path: ['DLR_EDGE_RECONNECT_MIN'],
      message: 'must not exceed DLR_EDGE_RECONNECT_MAX',
    })
    // An attempt starts at most KEEP_ALIVE_MS after the delivery or a working(): it must end inside ack_wait.
    .refine((c) => c.DLR_PUSH_TIMEOUT + 2 * KEEP_ALIVE_MS <= c.DLR_ACCOUNT_ACK_WAIT, {
      path: ['DLR_PUSH_TIMEOUT'],
      message: 'must be at least 1s shorter than DLR_ACCOUNT_ACK_WAIT',
    })
    // Priority 0 keeps what the three priority backlogs leave of the total: at least one report.
    .refine(
      (c) =>
        3 * (c.DLR_PRIORITY_BACKLOG_MAX ?? 1) < (c.DLR_BACKLOG_MAX ?? DEFAULT_TOPOLOGY_OPTIONS.dlrBacklogMax),
      {
        path: ['DLR_PRIORITY_BACKLOG_MAX'],
        message: 'three times it must stay below DLR_BACKLOG_MAX',
      },
    ),
  dispatcherRenamedVariables,
);

/** Reads and validates the dispatcher's configuration; throws ConfigError naming every bad variable. */
export function loadDispatcherConfig(environment: Environment = process.env) {
  return loadConfig(dispatcherConfigSchema, environment);
}

/** The dispatcher's parsed configuration. */
export type DispatcherConfig = ReturnType<typeof loadDispatcherConfig>;
