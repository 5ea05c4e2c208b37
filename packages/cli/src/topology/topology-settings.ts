/**
 * The provisioner's settings: the stream limits and connector bucket TTLs that
 * have one owner (docs/configuration.md, "Stream limits"), read by `smsgw
 * topology apply` and `smsgw start` from their environment (the chart's
 * topology Job sets them from its `dlrBacklog` and `connectorBuckets` values)
 * or their options. Validated like a service's configuration, with the same
 * shapes and messages (and the connector's old names of the TTLs).
 */
import { DEFAULT_TOPOLOGY_OPTIONS, type TopologyOptions } from '@smsgw/nats';
import { ConfigError, env, loadConfig, withRenamedVariables, type Environment } from '@smsgw/runtime';
import { z } from 'zod';
import { CliError, ExitCode } from '../cli-error.ts';

/** The duplicate window of every stream: the backlog may not keep reports a shorter time. */
const duplicateWindowMs = DEFAULT_TOPOLOGY_OPTIONS.duplicateWindowMs;

/** The provisioner's variables (docs/configuration.md, "The provisioner"). */
export const topologySettingsSchema = z
  .object({
    /** JetStream replicas of the streams and buckets it creates (what exists keeps its replicas). */
    NATS_REPLICAS: env.integer({ min: 1, max: 5 }).default(1),
    /** Reports kept per account in total while no receiver takes them; the oldest of the priority go first. */
    DLR_BACKLOG_MAX: env.integer({ min: 4, max: 10_000_000 }).default(DEFAULT_TOPOLOGY_OPTIONS.dlrBacklogMax),
    /** Reports kept per account and priority 1..3 (default 4% of DLR_BACKLOG_MAX, 1..1,000). */
    DLR_PRIORITY_BACKLOG_MAX: env.integer({ min: 1, max: 3_333_333 }).optional(),
    /** How long an undelivered report is kept. */
    DLR_BACKLOG_MAX_AGE: env
      .durationMs({ min: duplicateWindowMs })
      .default(DEFAULT_TOPOLOGY_OPTIONS.dlrMaxAgeMs),
    /** How long an upstream id → message mapping is kept: the upstream-ids bucket's TTL (at least the backlog's 48 h default). */
    CONNECTOR_SMPP_UPSTREAM_ID_TTL: env
      .durationMs({ min: DEFAULT_TOPOLOGY_OPTIONS.dlrMaxAgeMs })
      .default(DEFAULT_TOPOLOGY_OPTIONS.upstreamIdTtlMs),
    /** Lifetime of a connector replica's health entry unless rewritten: the connectors bucket's TTL. */
    CONNECTOR_HEALTH_TTL: env
      .durationMs({ min: 1_000, max: 600_000 })
      .default(DEFAULT_TOPOLOGY_OPTIONS.connectorHealthTtlMs),
  })
  // Priority 0 keeps what the three priority backlogs leave of the total: at least one report.
  .refine((c) => 3 * (c.DLR_PRIORITY_BACKLOG_MAX ?? 1) < c.DLR_BACKLOG_MAX, {
    path: ['DLR_PRIORITY_BACKLOG_MAX'],
    message: 'three times it must stay below DLR_BACKLOG_MAX',
  });

// The connector's names of the two TTLs before the naming rule, still read here (an upgrade keeps them).
withRenamedVariables(topologySettingsSchema, {
  CONNECTOR_HEALTH_TTL_MS: 'CONNECTOR_HEALTH_TTL',
  SMPP_UPSTREAM_ID_TTL_MS: 'CONNECTOR_SMPP_UPSTREAM_ID_TTL',
});

/** The parsed provisioner settings. */
export type TopologySettings = z.output<typeof topologySettingsSchema>;

/**
 * The provisioner's settings from `environment`, options given on the command line (by variable
 * name, as text) winning; a bad value is a usage error naming it.
 */
export function topologySettingsOf(
  environment: Environment,
  overrides: Readonly<Record<string, string | undefined>> = {},
): TopologySettings {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  try {
    return loadConfig(topologySettingsSchema, { ...environment, ...given });
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, ExitCode.usage, { cause: err });
    throw err;
  }
}

/** The topology options of the settings, for ensureTopology with owner 'provisioner'. */
export function topologyOptionsOf(settings: TopologySettings): TopologyOptions {
  return {
    replicas: settings.NATS_REPLICAS,
    dlrBacklogMax: settings.DLR_BACKLOG_MAX,
    ...(settings.DLR_PRIORITY_BACKLOG_MAX === undefined
      ? {}
      : { dlrPriorityBacklogMax: settings.DLR_PRIORITY_BACKLOG_MAX }),
    dlrMaxAgeMs: settings.DLR_BACKLOG_MAX_AGE,
    upstreamIdTtlMs: settings.CONNECTOR_SMPP_UPSTREAM_ID_TTL,
    connectorHealthTtlMs: settings.CONNECTOR_HEALTH_TTL,
  };
}
