import { DEFAULT_TOPOLOGY_OPTIONS } from '@smsgw/nats';
import { CommandStatus } from '@smsgw/smpp';
import { defineServiceConfig, env, withRenamedVariables, type loadConfig } from '@smsgw/runtime';
import { z } from 'zod';
import { commandStatusOfSetting } from './command-status-setting.ts';
import { DRIVER_KINDS, isDriverKind } from './drivers.ts';

const enumOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((text) => text.trim().toLowerCase())
    .pipe(z.enum(values, { error: `expected one of ${values.join(', ')}` }));

/** `keep`, `auto` or a fixed `TON:NPI` pair such as `1:1`. */
const addressRule = z
  .string()
  .transform((text) => text.trim().toLowerCase())
  .refine((text) => text === 'keep' || text === 'auto' || /^[0-6]:(?:[0-9]|1[0-8])$/.test(text), {
    error: 'expected keep, auto or TON:NPI (e.g. 1:1)',
  });

/**
 * The connector's variables before the naming rule of docs/configuration.md (its upstream driver's
 * SMPP_* became CONNECTOR_SMPP_*, the sim's SIM_* CONNECTOR_SIM_*, durations lost their _MS), still
 * read when the new name is unset.
 */
export const connectorRenamedVariables = {
  MAX_IN_FLIGHT: 'CONNECTOR_MAX_IN_FLIGHT',
  RESERVED_IN_FLIGHT: 'CONNECTOR_RESERVED_IN_FLIGHT',
  LOWER_LANE_EVERY: 'CONNECTOR_LOWER_LANE_EVERY',
  LANE_PREFETCH: 'CONNECTOR_LANE_PREFETCH',
  PULL_EXPIRES_MS: 'CONNECTOR_PULL_EXPIRES',
  ACK_WAIT_MS: 'CONNECTOR_ACK_WAIT',
  RETRY_MIN_MS: 'CONNECTOR_RETRY_DELAY_MIN',
  RETRY_MAX_MS: 'CONNECTOR_RETRY_DELAY_MAX',
  SIM_ACK_WAIT_MS: 'CONNECTOR_SIM_ACK_WAIT',
  SIM_DELAY_MS: 'CONNECTOR_SIM_DELAY',
  TRY_NEXT_STATUSES: 'CONNECTOR_TRY_NEXT_STATUSES',
  MO_UNOWNED_COMMAND_STATUS: 'CONNECTOR_MO_UNOWNED_COMMAND_STATUS',
  CONNECTOR_HEALTH_TTL_MS: 'CONNECTOR_HEALTH_TTL',
  SMPP_HOST: 'CONNECTOR_SMPP_HOST',
  SMPP_PORT: 'CONNECTOR_SMPP_PORT',
  SMPP_TLS: 'CONNECTOR_SMPP_TLS',
  SMPP_TLS_CA_FILE: 'CONNECTOR_SMPP_TLS_CA_FILE',
  SMPP_TLS_SERVERNAME: 'CONNECTOR_SMPP_TLS_SERVERNAME',
  SMPP_TLS_INSECURE: 'CONNECTOR_SMPP_TLS_INSECURE',
  SMPP_SYSTEM_ID: 'CONNECTOR_SMPP_SYSTEM_ID',
  SMPP_PASSWORD: 'CONNECTOR_SMPP_PASSWORD',
  SMPP_SYSTEM_TYPE: 'CONNECTOR_SMPP_SYSTEM_TYPE',
  SMPP_BIND_MODE: 'CONNECTOR_SMPP_BIND_MODE',
  SMPP_SESSIONS: 'CONNECTOR_SMPP_SESSIONS',
  SMPP_WINDOW: 'CONNECTOR_SMPP_WINDOW',
  SMPP_TPS: 'CONNECTOR_SMPP_TPS',
  SMPP_TPS_SHARE: 'CONNECTOR_SMPP_TPS_SHARE',
  SMPP_THROTTLE_PAUSE_MS: 'CONNECTOR_SMPP_THROTTLE_PAUSE',
  SMPP_ENQUIRE_LINK_MS: 'CONNECTOR_SMPP_ENQUIRE_LINK_INTERVAL',
  SMPP_RESPONSE_TIMEOUT_MS: 'CONNECTOR_SMPP_RESPONSE_TIMEOUT',
  SMPP_RECONNECT_MIN_MS: 'CONNECTOR_SMPP_RECONNECT_MIN',
  SMPP_RECONNECT_MAX_MS: 'CONNECTOR_SMPP_RECONNECT_MAX',
  SMPP_SOURCE_ADDR: 'CONNECTOR_SMPP_SOURCE_ADDR',
  SMPP_DEST_ADDR: 'CONNECTOR_SMPP_DEST_ADDR',
  SMPP_GSM_DATA_CODING: 'CONNECTOR_SMPP_GSM_DATA_CODING',
  SMPP_LONG_MESSAGES: 'CONNECTOR_SMPP_LONG_MESSAGES',
  SMPP_SUBMIT_ID_BASE: 'CONNECTOR_SMPP_SUBMIT_ID_BASE',
  SMPP_RECEIPT_ID_BASE: 'CONNECTOR_SMPP_RECEIPT_ID_BASE',
  SMPP_RECEIPT_WAIT_MS: 'CONNECTOR_SMPP_RECEIPT_WAIT',
  SMPP_UPSTREAM_ID_TTL_MS: 'CONNECTOR_SMPP_UPSTREAM_ID_TTL',
  SMPP_SETTINGS_FILE: 'CONNECTOR_SMPP_SETTINGS_FILE',
} as const;

/**
 * The variables that set the TTLs of the connectors' buckets (`connectors`, `upstream-ids`): the
 * provisioner's, deprecated on a connector (docs/configuration.md, "Stream limits").
 */
export const bucketTtlVariables = ['CONNECTOR_HEALTH_TTL', 'CONNECTOR_SMPP_UPSTREAM_ID_TTL'] as const;

/** The connector's environment: the base variables plus its own CONNECTOR_* (docs/configuration.md). */
export const connectorConfig = withRenamedVariables(
  defineServiceConfig('connector', {
    /** The connector's name: its lanes are sms.route.<name>.<0..3>, its consumers connector-<name>-p<0..3>. */
    CONNECTOR_NAME: env.nonEmptyString().default('sim'),
    /** Which driver hands messages to the outside world. */
    CONNECTOR_DRIVER: env
      .nonEmptyString()
      .refine(isDriverKind, { message: `expected one of ${DRIVER_KINDS.join(', ')}` })
      .default('sim'),
    /** Messages handed to the driver at once, across all lanes. */
    CONNECTOR_MAX_IN_FLIGHT: env.positiveInt().default(64),
    /**
     * Of CONNECTOR_MAX_IN_FLIGHT, the slots priority-0 messages may not take, kept for lanes 1..3 so that they never
     * wait for a slot priority-0 work holds (default an eighth of CONNECTOR_MAX_IN_FLIGHT, at least 1; below CONNECTOR_MAX_IN_FLIGHT).
     */
    CONNECTOR_RESERVED_IN_FLIGHT: env.integer({ min: 0, max: 100_000 }).optional(),
    /** While a lower lane waits behind a busy higher one, it gets one message in this many (0: strict priority). */
    CONNECTOR_LOWER_LANE_EVERY: env.integer({ min: 0, max: 1_000_000 }).default(10),
    /** Messages each lane pulls ahead of the driver (default CONNECTOR_MAX_IN_FLIGHT). */
    CONNECTOR_LANE_PREFETCH: env.positiveInt().optional(),
    /** How long one pull waits on an empty lane; also how long shutdown may wait for the last pulls to end. */
    CONNECTOR_PULL_EXPIRES: env.durationMs({ min: 1_000, max: 60_000 }).default(5_000),
    /** The lanes' ack wait: an unacked message is redelivered after it. */
    CONNECTOR_ACK_WAIT: env.durationMs({ min: 1_000 }).default(DEFAULT_TOPOLOGY_OPTIONS.connector.ackWaitMs),
    /** First retry delay of a failed message (nak); doubles per delivery. */
    CONNECTOR_RETRY_DELAY_MIN: env.durationMs({ min: 1 }).default(1_000),
    /** Longest retry delay. */
    CONNECTOR_RETRY_DELAY_MAX: env.durationMs({ min: 1 }).default(60_000),
    /** The simulator's delay before its final answer: one duration or a range drawn from uniformly per message. */
    /** `sim`: ack wait of the answers it owes (SMS_SIM): how late an answer held by a killed replica comes. */
    CONNECTOR_SIM_ACK_WAIT: env.durationMs({ min: 1_000 }).default(DEFAULT_TOPOLOGY_OPTIONS.sim.ackWaitMs),
    CONNECTOR_SIM_DELAY: env.durationRangeMs({ max: 3_600_000 }).default({ minMs: 500, maxMs: 3_000 }),
    /**
     * SMPP command_status names or values (decimal or 0x hex, comma-separated) that make the driver hand a refused
     * message to the route's next connector instead of failing it here (README.md, "Try next").
     */
    CONNECTOR_TRY_NEXT_STATUSES: env
      .list()
      .transform((items, ctx) => {
        const statuses = items.map(commandStatusOfSetting);
        if (statuses.some((n) => n === undefined)) {
          ctx.addIssue({
            code: 'custom',
            message: 'a comma-separated list of command_status names or values (e.g. ESME_RINVDSTADR,0x45)',
          });
          return [];
        }
        return statuses.filter((n) => n !== undefined);
      })
      .default([]),
    /**
     * The answer to an MO whose destination no account owns (README.md, "Mobile-originated messages"): a
     * command_status name or value. The default, ESME_RINVDSTADR, is permanent, so the SMSC does not resend it.
     */
    CONNECTOR_MO_UNOWNED_COMMAND_STATUS: z
      .string()
      .transform((text, ctx) => {
        const status = commandStatusOfSetting(text);
        if (status === undefined) {
          ctx.addIssue({
            code: 'custom',
            message: 'a command_status name or value (e.g. ESME_RINVDSTADR, 0x0B)',
          });
          return z.NEVER;
        }
        return status;
      })
      .default(CommandStatus.ESME_RINVDSTADR),
    /**
     * Deprecated here: the TTL of the connectors health bucket is the provisioner's (`smsgw topology
     * apply`, the chart's topology Job; docs/configuration.md, "Stream limits"). Used only to create
     * the bucket when nothing provisioned it, and logged as a warning when set; each replica rewrites
     * its entry every third of the TTL the bucket has.
     */
    CONNECTOR_HEALTH_TTL: env.durationMs({ min: 1_000, max: 600_000 }).optional(),

    // The `smpp` driver (an upstream SMSC); README "The smpp driver". Also read from CONNECTOR_SMPP_SETTINGS_FILE.
    /** The upstream SMSC's host (required by the smpp driver). */
    CONNECTOR_SMPP_HOST: env.nonEmptyString().optional(),
    /** Its port. */
    CONNECTOR_SMPP_PORT: env.port().default(2775),
    /** Connect with TLS. */
    CONNECTOR_SMPP_TLS: env.boolean().default(false),
    /** PEM file of the CA that signed the SMSC's certificate (default: the system's CAs). */
    CONNECTOR_SMPP_TLS_CA_FILE: env.nonEmptyString().optional(),
    /** The name the certificate must carry (default CONNECTOR_SMPP_HOST unless it is an IP). */
    CONNECTOR_SMPP_TLS_SERVERNAME: env.nonEmptyString().optional(),
    /** Accept every certificate: tests only. */
    CONNECTOR_SMPP_TLS_INSECURE: env.boolean().default(false),
    /** bind system_id (required by the smpp driver). */
    CONNECTOR_SMPP_SYSTEM_ID: env.nonEmptyString().optional(),
    /** bind password. */
    CONNECTOR_SMPP_PASSWORD: z.string().default(''),
    /** bind system_type. */
    CONNECTOR_SMPP_SYSTEM_TYPE: z.string().default(''),
    /** `transceiver` (one session both ways) or `transmitter-receiver` (a pair per session). */
    CONNECTOR_SMPP_BIND_MODE: enumOf(['transceiver', 'transmitter-receiver']).default('transceiver'),
    /** Sessions (transceivers, or transmitter+receiver pairs) per replica. */
    CONNECTOR_SMPP_SESSIONS: env.integer({ min: 1, max: 64 }).default(1),
    /** Unanswered submit_sm per session. */
    CONNECTOR_SMPP_WINDOW: env.integer({ min: 1, max: 1_000 }).default(10),
    /** Submits per second for the whole connector, all replicas together; 0: no limit. */
    CONNECTOR_SMPP_TPS: env.integer({ min: 0 }).default(0),
    /** How many replicas share CONNECTOR_SMPP_TPS: each takes CONNECTOR_SMPP_TPS / CONNECTOR_SMPP_TPS_SHARE (set it to the replica count). */
    CONNECTOR_SMPP_TPS_SHARE: env.positiveInt().default(1),
    /** How long the whole connector pauses its submits after an ESME_RTHROTTLED. */
    CONNECTOR_SMPP_THROTTLE_PAUSE: env.durationMs({ min: 1, max: 60_000 }).default(1_000),
    /** enquire_link after this long without traffic. */
    CONNECTOR_SMPP_ENQUIRE_LINK_INTERVAL: env.durationMs({ min: 1_000 }).default(30_000),
    /** How long a submit_sm waits for its submit_sm_resp (then it is retried: transient). */
    CONNECTOR_SMPP_RESPONSE_TIMEOUT: env.durationMs({ min: 100 }).default(30_000),
    /** First reconnect delay of a lost or refused session; doubles per failed attempt. */
    CONNECTOR_SMPP_RECONNECT_MIN: env.durationMs({ min: 1 }).default(1_000),
    /** Longest reconnect delay. */
    CONNECTOR_SMPP_RECONNECT_MAX: env.durationMs({ min: 1 }).default(30_000),
    /** Source address rule: keep, auto (alphanumeric 5:0, international 1:1, short code 3:0) or TON:NPI. */
    CONNECTOR_SMPP_SOURCE_ADDR: addressRule.default('keep'),
    /** Destination address rule: keep, auto (international 1:1, '+' dropped) or TON:NPI. */
    CONNECTOR_SMPP_DEST_ADDR: addressRule.default('keep'),
    /** The data_coding a GSM-7 text goes out with: 0 (SMSC default) or 1 (IA5), as the SMSC reads GSM. */
    CONNECTOR_SMPP_GSM_DATA_CODING: env.integer({ min: 0, max: 1 }).default(0),
    /** Long messages: `payload` (one submit_sm, message_payload TLV), `udh` or `sar` (re-split into parts). */
    CONNECTOR_SMPP_LONG_MESSAGES: enumOf(['payload', 'udh', 'sar']).default('udh'),
    /** How the SMSC writes submit_sm_resp ids: `opaque` (compared as text, case-folded), `hex` or `decimal`. */
    CONNECTOR_SMPP_SUBMIT_ID_BASE: enumOf(['opaque', 'hex', 'decimal']).default('opaque'),
    /** How its receipt texts write ids: `same` as submit_sm_resp, `hex` or `decimal` (converted to the submit's base). */
    CONNECTOR_SMPP_RECEIPT_ID_BASE: enumOf(['same', 'hex', 'decimal']).default('same'),
    /** How long a receipt whose mapping is not stored yet is retried before it counts as unknown. */
    CONNECTOR_SMPP_RECEIPT_WAIT: env.durationMs({ min: 0, max: 60_000 }).default(5_000),
    /**
     * Deprecated here, as CONNECTOR_HEALTH_TTL: how long an upstream id mapping is kept (at least the
     * DLR backlog's 48 h), the upstream-ids bucket's TTL; used only to create the bucket.
     */
    CONNECTOR_SMPP_UPSTREAM_ID_TTL: env.durationMs({ min: DEFAULT_TOPOLOGY_OPTIONS.dlrMaxAgeMs }).optional(),
    /** A JSON or YAML file of SMPP_* settings (a mounted Secret or ConfigMap); the environment wins. */
    CONNECTOR_SMPP_SETTINGS_FILE: env.nonEmptyString().optional(),
  })
    .refine((c) => c.CONNECTOR_DRIVER !== 'smpp' || c.CONNECTOR_SMPP_HOST !== undefined, {
      path: ['CONNECTOR_SMPP_HOST'],
      message: 'required by CONNECTOR_DRIVER=smpp',
    })
    .refine((c) => c.CONNECTOR_DRIVER !== 'smpp' || c.CONNECTOR_SMPP_SYSTEM_ID !== undefined, {
      path: ['CONNECTOR_SMPP_SYSTEM_ID'],
      message: 'required by CONNECTOR_DRIVER=smpp',
    })
    .refine((c) => c.CONNECTOR_SMPP_RECONNECT_MIN <= c.CONNECTOR_SMPP_RECONNECT_MAX, {
      path: ['CONNECTOR_SMPP_RECONNECT_MIN'],
      message: 'must not exceed CONNECTOR_SMPP_RECONNECT_MAX',
    }),
  connectorRenamedVariables,
);

/** The slots kept for lanes 1..3: CONNECTOR_RESERVED_IN_FLIGHT, else an eighth of CONNECTOR_MAX_IN_FLIGHT (at least 1); always below CONNECTOR_MAX_IN_FLIGHT. */
export function reservedInFlight(
  config: Pick<ConnectorConfig, 'CONNECTOR_MAX_IN_FLIGHT' | 'CONNECTOR_RESERVED_IN_FLIGHT'>,
): number {
  const wanted =
    config.CONNECTOR_RESERVED_IN_FLIGHT ?? Math.max(1, Math.floor(config.CONNECTOR_MAX_IN_FLIGHT / 8));
  return Math.min(wanted, config.CONNECTOR_MAX_IN_FLIGHT - 1);
}

/** The connector's parsed configuration. */
export type ConnectorConfig = ReturnType<typeof loadConfig<typeof connectorConfig>>;
