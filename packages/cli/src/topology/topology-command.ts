/**
 * `smsgw topology apply`: the provisioner. Creates every stream, bucket and
 * static consumer that is missing and applies the stream limits (the DLR
 * backlog's cap per account and age), which no service changes
 * (docs/configuration.md, "Stream limits"). Idempotent: run it after every
 * install and upgrade (the chart's topology Job does) and whenever a limit
 * changes. Services pick a new limit up from the streams.
 */
import { Command } from 'commander';
import { ensureTopology, readDlrBacklogLimits, type DlrBacklogLimits } from '@smsgw/nats';
import { natsOption, type NatsOption } from '../accounts/account-store-access.ts';
import { println, type CliIo } from '../cli-io.ts';
import { natsUrlOf, shownUrl, withNats } from '../nats-connection.ts';
import { topologyOptionsOf, topologySettingsOf } from './topology-settings.ts';

interface ApplyOptions extends NatsOption {
  replicas?: string;
  dlrBacklogMax?: string;
  dlrPriorityBacklogMax?: string;
  dlrBacklogMaxAge?: string;
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

/** The `topology` command (`topology apply`), writing to `io`. */
export function topologyCommand(io: CliIo): Command {
  const apply = new Command('apply')
    .description(
      'create the JetStream topology where it is missing and apply the stream limits (the DLR backlog cap and age) that no service changes',
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
    .option('--json', 'print the limits the streams now hold as JSON');
  natsOption(apply).action(async (opts: ApplyOptions) => {
    const settings = topologySettingsOf(io.env, {
      NATS_REPLICAS: opts.replicas,
      DLR_BACKLOG_MAX: opts.dlrBacklogMax,
      DLR_PRIORITY_BACKLOG_MAX: opts.dlrPriorityBacklogMax,
      DLR_BACKLOG_MAX_AGE: opts.dlrBacklogMaxAge,
    });
    const url = natsUrlOf(opts.natsUrl, io.env);
    const limits = await withNats(url, async (nc) => {
      const topology = await ensureTopology(nc, { owner: 'provisioner', ...topologyOptionsOf(settings) });
      return readDlrBacklogLimits(topology.jsm);
    });
    if (opts.json === true) {
      println(io, JSON.stringify(limits));
      return;
    }
    println(io, `smsgw topology apply: ${shownUrl(url)}: topology in place`);
    println(io, `  ${describeBacklogLimits(limits)}`);
  });
  return new Command('topology')
    .description('the JetStream topology: streams, buckets, consumers and the stream limits')
    .addCommand(apply);
}
