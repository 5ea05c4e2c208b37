/**
 * `smsgw start`: the one-command local launcher (run-start.ts). SIGINT or
 * SIGTERM stops everything cleanly; a second one kills the services at once.
 */
import { Command } from 'commander';
import { CliError, ExitCode, QuietExit } from '../cli-error.ts';
import type { CliIo } from '../cli-io.ts';
import { durationMs, integerIn } from '../option-parsers.ts';
import { runStart } from './run-start.ts';
import { parseUpstreamUrl } from './upstream-url.ts';

interface StartCommandOptions {
  natsUrl?: string;
  smppPort: number;
  tlsPort: number;
  tls: boolean;
  adminPortBase: number;
  grpcPort: number;
  readyTimeout: number;
  stopGrace: number;
  pretty?: boolean;
  demoPassword?: string;
  upstream?: Record<string, string>;
  replicas?: number;
  stats?: number | true;
}

const port = integerIn(1, 65_535);
const replicaCount = integerIn(1, 5);

/** NATS_REPLICAS as --replicas' default: 1 when unset; a usage error when it is not 1..5. */
function replicasFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  try {
    return replicaCount(value);
  } catch (err) {
    throw new CliError(`NATS_REPLICAS: ${err instanceof Error ? err.message : String(err)}`, ExitCode.usage, {
      cause: err,
    });
  }
}

/** The `start` command, writing to `io`. */
export function startCommand(io: CliIo): Command {
  return new Command('start')
    .description(
      'run smsgw locally: NATS, the demo account, a TLS certificate and every service, until Ctrl-C',
    )
    .option(
      '--nats-url <url>',
      'use this NATS (default: $NATS_URL, else nats://127.0.0.1:4222, started if nothing answers)',
    )
    .option('--smpp-port <port>', 'plain SMPP port', port, 2775)
    .option('--tls-port <port>', 'SMPP over TLS port', port, 8775)
    .option('--no-tls', 'no TLS listener (and no certificate)')
    .option(
      '--admin-port-base <port>',
      'admin ports (/readyz, /metrics) are this + 1, + 2, … per service',
      port,
      9100,
    )
    .option('--grpc-port <port>', 'the edge’s gRPC port (DLR delivery)', port, 9091)
    .option(
      '--ready-timeout <duration>',
      'how long to wait for every service to become ready before giving up (exit 1)',
      durationMs,
      60_000,
    )
    .option(
      '--stop-grace <duration>',
      'how long services may take to stop before they are killed',
      durationMs,
      15_000,
    )
    .option('--pretty', 'show service logs as readable lines (default when stdout is a terminal)')
    .option('--no-pretty', 'forward service logs as JSON lines')
    .option('--demo-password <password>', 'use this demo password instead of a generated one')
    .option(
      '--upstream <url>',
      'also run an smpp connector "upstream" to this SMSC, as the default route: ' +
        'smpp://SYSTEM_ID:PASSWORD@HOST:PORT[?tls=1&sessions=N&window=W&tps=T]',
      parseUpstreamUrl,
    )
    .option(
      '--replicas <n>',
      'JetStream replicas of every stream and bucket, created so from the start and given to every service as NATS_REPLICAS (default: $NATS_REPLICAS, else 1; 3 on a 3-node cluster)',
      replicaCount,
    )
    .option(
      '--stats [interval]',
      'once ready, print a one-line live summary (submits/s, DLRs/s, DLR backlog, in flight) every interval (default 5s)',
      durationMs,
    )
    .action(async (opts: StartCommandOptions) => {
      const stop = new AbortController();
      const force = new AbortController();
      const onSignal = (): void => {
        if (stop.signal.aborted) force.abort();
        else stop.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const configured = opts.natsUrl ?? io.env['NATS_URL'];
        const replicas = opts.replicas ?? replicasFromEnv(io.env['NATS_REPLICAS']);
        const exitCode = await runStart(
          {
            ...(configured === undefined || configured === '' ? {} : { natsUrl: configured }),
            smppPort: opts.smppPort,
            tlsPort: opts.tlsPort,
            tls: opts.tls,
            adminPortBase: opts.adminPortBase,
            grpcPort: opts.grpcPort,
            readyTimeoutMs: opts.readyTimeout,
            stopGraceMs: opts.stopGrace,
            replicas,
            pretty: opts.pretty ?? (io.stdout as { isTTY?: boolean }).isTTY === true,
            ...(opts.demoPassword === undefined ? {} : { demoPassword: opts.demoPassword }),
            ...(opts.upstream === undefined ? {} : { upstream: opts.upstream }),
            ...(opts.stats === undefined ? {} : { statsEveryMs: opts.stats === true ? 5_000 : opts.stats }),
          },
          io,
          stop.signal,
          force.signal,
        );
        if (exitCode !== ExitCode.ok) throw new QuietExit(exitCode);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
