/**
 * `smsgw topology apply`: the provisioner. Creates every stream, bucket and
 * static consumer that is missing and applies the stream limits (the DLR
 * backlog's cap per account and age) and the TTLs of the connectors' buckets
 * (upstream-ids, connectors), which no service changes (docs/configuration.md,
 * "Stream limits"). Idempotent: run it after every install and upgrade (the
 * chart's topology Job does) and whenever a limit changes. Services pick a new
 * limit up from the streams and buckets.
 */
import { Command } from 'commander';
import {
  ensureTopology,
  readConnectorBucketTtls,
  readDlrBacklogLimits,
  type ConnectorBucketTtls,
  type DlrBacklogLimits,
} from '@smsgw/nats';
import { natsOption, type NatsOption } from '../accounts/account-store-access.ts';
import { println, type CliIo } from '../cli-io.ts';
import { natsUrlOf, shownUrl, withNats } from '../nats-connection.ts';
import { topologyOptionsOf, topologySettingsOf } from './topology-settings.ts';

interface ApplyOptions extends NatsOption {
  replicas?: string;
  dlrBacklogMax?: string;
  dlrPriorityBacklogMax?: string;
  dlrBacklogMaxAge?: string;
  connectorSmppUpstreamIdTtl?: string;
  connectorHealthTtl?: string;
  json?: boolean;
}

/** One line saying what the DLR backlog keeps. */
export function describeBacklogLimits(limits: DlrBacklogLimits): string {
  const hours = limits.dlrMaxAgeMs / 3_600_000;
  const age = Number.isInteger(hours) ? `${hours}h` : `${limits.dlrMaxAgeMs}ms`;
  const zero = limits.dlrBacklogMax - 3 * limits.dlrPriorityBacklogMax;
  return (
    `DLR backlog: ${limits.dlrBacklogMax} reports per account in total ` +
    `(priority 0: ${zero}, priorities 1..3: ${limits.dlrPriorityBacklogMax} each), kept ${age}`
  );
}

/** A duration in the largest whole unit of d, h, m, s (else ms). */
function shownDuration(ms: number): string {
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ];
  const unit = units.find(([, size]) => ms % size === 0);
  return unit === undefined ? `${ms}ms` : `${ms / unit[1]}${unit[0]}`;
}

/** One line saying what the connectors' buckets keep. */
export function describeBucketTtls(ttls: ConnectorBucketTtls): string {
  return (
    `connector buckets: upstream id mappings kept ${shownDuration(ttls.upstreamIdTtlMs)}, ` +
    `health entries live ${shownDuration(ttls.connectorHealthTtlMs)} unless rewritten`
  );
}

/** The `topology` command (`topology apply`), writing to `io`. */
export function topologyCommand(io: CliIo): Command {
  const apply = new Command('apply')
    .description(
      'create the JetStream topology where it is missing and apply the stream limits (the DLR backlog cap and age) and connector bucket TTLs that no service changes',
    )
    .option('--replicas <n>', 'replicas of what it creates (default $NATS_REPLICAS, else 1)')
    .option(
      '--dlr-backlog-max <n>',
      'reports kept per account in total (default $DLR_BACKLOG_MAX, else 25000)',
    )
    .option(
      '--dlr-priority-backlog-max <n>',
      'reports kept per account and priority 1..3 (default $DLR_PRIORITY_BACKLOG_MAX, else 4% of the total, 1..1000)',
    )
    .option(
      '--dlr-backlog-max-age <duration>',
      'how long a report is kept (default $DLR_BACKLOG_MAX_AGE, else 48h)',
    )
    .option(
      '--connector-smpp-upstream-id-ttl <duration>',
      'how long an upstream id mapping is kept, the upstream-ids bucket TTL (default $CONNECTOR_SMPP_UPSTREAM_ID_TTL, else 168h; at least 48h)',
    )
    .option(
      '--connector-health-ttl <duration>',
      'lifetime of a connector health entry, the connectors bucket TTL (default $CONNECTOR_HEALTH_TTL, else 30s)',
    )
    .option('--json', 'print the limits the streams and buckets now hold as JSON');
  natsOption(apply).action(async (opts: ApplyOptions) => {
    const settings = topologySettingsOf(io.env, {
      NATS_REPLICAS: opts.replicas,
      DLR_BACKLOG_MAX: opts.dlrBacklogMax,
      DLR_PRIORITY_BACKLOG_MAX: opts.dlrPriorityBacklogMax,
      DLR_BACKLOG_MAX_AGE: opts.dlrBacklogMaxAge,
      CONNECTOR_SMPP_UPSTREAM_ID_TTL: opts.connectorSmppUpstreamIdTtl,
      CONNECTOR_HEALTH_TTL: opts.connectorHealthTtl,
    });
    const url = natsUrlOf(opts.natsUrl, io.env);
    const [limits, ttls] = await withNats(url, async (nc) => {
      const topology = await ensureTopology(nc, { owner: 'provisioner', ...topologyOptionsOf(settings) });
      return Promise.all([readDlrBacklogLimits(topology.jsm), readConnectorBucketTtls(topology.jsm)]);
    });
    if (opts.json === true) {
      println(io, JSON.stringify({ ...limits, ...ttls }));
      return;
    }
    println(io, `smsgw topology apply: ${shownUrl(url)}: topology in place`);
    println(io, `  ${describeBacklogLimits(limits)}`);
    println(io, `  ${describeBucketTtls(ttls)}`);
  });
  return new Command('topology')
    .description('the JetStream topology: streams, buckets, consumers, the stream limits and bucket TTLs')
    .addCommand(apply);
}
