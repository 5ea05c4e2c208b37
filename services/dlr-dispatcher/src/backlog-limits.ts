/**
 * The DLR backlog's limits as the dispatcher sees them: the streams' (the
 * provisioner applies them, docs/configuration.md "Stream limits"). The
 * deprecated DLR_BACKLOG_* variables only shape streams this dispatcher creates
 * because nothing provisioned them yet; set, they earn a warning, and one more
 * when the streams hold other values than they say.
 */
import { dlrBacklogLimitsOf, type DlrBacklogLimits, type Topology, type TopologyOptions } from '@smsgw/nats';
import type { Logger } from '@smsgw/runtime';
import { backlogLimitVariables, type DispatcherConfig } from './config.ts';

type LimitSettings = Pick<DispatcherConfig, (typeof backlogLimitVariables)[number]>;

/** The topology options of the DLR_BACKLOG_* variables that are set (none: the defaults). */
export function backlogLimitOptions(config: LimitSettings): Partial<TopologyOptions> {
  return {
    ...(config.DLR_BACKLOG_MAX === undefined ? {} : { dlrBacklogMax: config.DLR_BACKLOG_MAX }),
    ...(config.DLR_PRIORITY_BACKLOG_MAX === undefined
      ? {}
      : { dlrPriorityBacklogMax: config.DLR_PRIORITY_BACKLOG_MAX }),
    ...(config.DLR_BACKLOG_MAX_AGE === undefined ? {} : { dlrMaxAgeMs: config.DLR_BACKLOG_MAX_AGE }),
  };
}

/** The limits the streams hold, each set DLR_BACKLOG_* variable that disagrees with them, by name. */
export function backlogLimitMismatches(
  config: LimitSettings,
  limits: DlrBacklogLimits,
): Record<string, { readonly configured: number; readonly stream: number }> {
  const pairs: [string, number | undefined, number][] = [
    ['DLR_BACKLOG_MAX', config.DLR_BACKLOG_MAX, limits.dlrBacklogMax],
    ['DLR_PRIORITY_BACKLOG_MAX', config.DLR_PRIORITY_BACKLOG_MAX, limits.dlrPriorityBacklogMax],
    ['DLR_BACKLOG_MAX_AGE', config.DLR_BACKLOG_MAX_AGE, limits.dlrMaxAgeMs],
  ];
  return Object.fromEntries(
    pairs
      .filter(([, configured, stream]) => configured !== undefined && configured !== stream)
      .map(([name, configured, stream]) => [name, { configured: configured ?? 0, stream }]),
  );
}

/** Logs the limits the streams hold (info), and a warning for each deprecated DLR_BACKLOG_* variable set. */
export function noteBacklogLimits(
  config: LimitSettings,
  topology: Pick<Topology, 'streams'>,
  logger: Logger,
): void {
  const limits = dlrBacklogLimitsOf(topology.streams.dlr.config, topology.streams.dlrPriority.config);
  logger.info({ limits }, 'DLR backlog limits, as the streams hold them');
  const set = backlogLimitVariables.filter((name) => config[name] !== undefined);
  if (set.length === 0) return;
  logger.warn(
    { variables: set, differing: backlogLimitMismatches(config, limits), limits },
    `${set.join(', ')} on the dispatcher ${set.length === 1 ? 'is' : 'are'} deprecated: the provisioner applies the backlog limits ` +
      '(smsgw topology apply, the chart value dlrBacklog); used only to create a stream nothing provisioned',
  );
}
