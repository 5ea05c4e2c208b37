import { ConnectorHealthBucket, DEFAULT_TOPOLOGY_OPTIONS } from '@smsgw/nats';
import { defineServiceConfig, env, type loadConfig } from '@smsgw/runtime';
import { DRIVER_KINDS, isDriverKind } from './drivers.ts';

/** The connector's environment: the base variables plus its own (see the README). */
export const connectorConfig = defineServiceConfig('connector', {
  /** The connector's name: its lanes are sms.route.<name>.<0..3>, its consumers connector-<name>-p<0..3>. */
  CONNECTOR_NAME: env.nonEmptyString().default('sim'),
  /** Which driver hands messages to the outside world. */
  CONNECTOR_DRIVER: env
    .nonEmptyString()
    .refine(isDriverKind, { message: `expected one of ${DRIVER_KINDS.join(', ')}` })
    .default('sim'),
  /** Messages handed to the driver at once, across all lanes. */
  MAX_IN_FLIGHT: env.positiveInt().default(64),
  /**
   * Of MAX_IN_FLIGHT, the slots priority-0 messages may not take, kept for lanes 1..3 so that they never
   * wait for a slot priority-0 work holds (default an eighth of MAX_IN_FLIGHT, at least 1; below MAX_IN_FLIGHT).
   */
  RESERVED_IN_FLIGHT: env.integer({ min: 0, max: 100_000 }).optional(),
  /** While a lower lane waits behind a busy higher one, it gets one message in this many (0: strict priority). */
  LOWER_LANE_EVERY: env.integer({ min: 0, max: 1_000_000 }).default(10),
  /** Messages each lane pulls ahead of the driver (default MAX_IN_FLIGHT). */
  LANE_PREFETCH: env.positiveInt().optional(),
  /** How long one pull waits on an empty lane; also how long shutdown may wait for the last pulls to end. */
  PULL_EXPIRES_MS: env.durationMs({ min: 1_000, max: 60_000 }).default(5_000),
  /** The lanes' ack wait: an unacked message is redelivered after it. */
  ACK_WAIT_MS: env.durationMs({ min: 1_000 }).default(DEFAULT_TOPOLOGY_OPTIONS.connector.ackWaitMs),
  /** First retry delay of a failed message (nak); doubles per delivery. */
  RETRY_MIN_MS: env.durationMs({ min: 1 }).default(1_000),
  /** Longest retry delay. */
  RETRY_MAX_MS: env.durationMs({ min: 1 }).default(60_000),
  /** The simulator's delay before its final answer: one duration or a range drawn from uniformly per message. */
  /** `sim`: ack wait of the answers it owes (SMS_SIM): how late an answer held by a killed replica comes. */
  SIM_ACK_WAIT_MS: env.durationMs({ min: 1_000 }).default(DEFAULT_TOPOLOGY_OPTIONS.sim.ackWaitMs),
  SIM_DELAY_MS: env.durationRangeMs({ max: 3_600_000 }).default({ minMs: 500, maxMs: 3_000 }),
  /**
   * SMPP command_status values (decimal or 0x hex, comma-separated) that make the driver hand a refused
   * message to the route's next connector instead of failing it here (README.md, "Try next").
   */
  TRY_NEXT_STATUSES: env
    .list()
    .transform((items, ctx) => {
      const statuses = items.map((item) => (/^(0x[0-9a-f]{1,8}|\d{1,10})$/i.test(item) ? Number(item) : NaN));
      if (statuses.some((n) => !Number.isSafeInteger(n) || n > 0xffffffff)) {
        ctx.addIssue({
          code: 'custom',
          message: 'a comma-separated list of command_status values (e.g. 0x45,0x58)',
        });
        return [];
      }
      return statuses;
    })
    .default([]),
  /** Lifetime of this replica's entry in the connectors health bucket; rewritten every third of it. */
  CONNECTOR_HEALTH_TTL_MS: env
    .durationMs({ min: 1_000, max: 600_000 })
    .default(ConnectorHealthBucket.defaultTtlMs),
});

/** The slots kept for lanes 1..3: RESERVED_IN_FLIGHT, else an eighth of MAX_IN_FLIGHT (at least 1); always below MAX_IN_FLIGHT. */
export function reservedInFlight(
  config: Pick<ConnectorConfig, 'MAX_IN_FLIGHT' | 'RESERVED_IN_FLIGHT'>,
): number {
  const wanted = config.RESERVED_IN_FLIGHT ?? Math.max(1, Math.floor(config.MAX_IN_FLIGHT / 8));
  return Math.min(wanted, config.MAX_IN_FLIGHT - 1);
}

/** The connector's parsed configuration. */
export type ConnectorConfig = ReturnType<typeof loadConfig<typeof connectorConfig>>;
