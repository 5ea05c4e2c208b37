/**
 * `smsgw send`: a real SMPP client for humans and scripts. See send-plan.ts
 * for the defaults, run-send.ts for the session, send-output.ts for output
 * and exit codes.
 */
import { Command, Option } from 'commander';
import { ExitCode, QuietExit } from '../cli-error.ts';
import type { CliIo } from '../cli-io.ts';
import { durationMs, integerIn, oneOf } from '../option-parsers.ts';
import { CODING_NAMES } from './coding.ts';
import { REGISTERED_DELIVERY_NAMES } from './registered-delivery.ts';
import { runSend } from './run-send.ts';
import { PLAIN_INTERVAL_MS, SendProgress } from './send-progress.ts';
import { printReport } from './send-output.ts';
import { planOf, type SendOptions } from './send-plan.ts';

const ton = integerIn(0, 6);
const npi = integerIn(0, 18);

/** Aborts `controller` on SIGINT/SIGTERM while `fn` runs (a second signal is left to Node: exit). */
async function interruptible<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (): void => {
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The `send` command, writing to `io`. */
export function sendCommand(io: CliIo): Command {
  return new Command('send')
    .description(
      'send an SMS over SMPP (submit_sm), print the message id(s), optionally wait for the delivery receipt',
    )
    .argument('[text]', 'the message text (or --file)')
    .option('--host <host>', 'SMPP server', '127.0.0.1')
    .option('--port <port>', 'SMPP port (default 2775, with --tls 8775)', integerIn(1, 65_535))
    .option('--tls', 'connect with TLS')
    .option('--ca <file>', 'trust this CA / self-signed certificate (PEM) for --tls')
    .option('--insecure', 'with --tls, do not verify the server certificate')
    .requiredOption('--system-id <id>', 'SMPP system_id')
    .option('--password <password>', 'SMPP password (default: prompt, or the first line of stdin)')
    .option('--system-type <type>', 'SMPP system_type', '')
    .addOption(
      new Option(
        '--bind <type>',
        'bind type (default transceiver with --wait-dlr, else transmitter)',
      ).choices(['transmitter', 'transceiver']),
    )
    .option('--from <addr>', 'source address: digits (TON 1/NPI 1) or alphanumeric (TON 5/NPI 0)', '')
    .option('--from-ton <n>', 'source TON (0..6)', ton)
    .option('--from-npi <n>', 'source NPI', npi)
    .requiredOption('--to <addr>', 'destination number, international digits (TON 1/NPI 1)')
    .option('--to-ton <n>', 'destination TON (0..6)', ton)
    .option('--to-npi <n>', 'destination NPI', npi)
    .option(
      '--file <path>',
      'read the message from a file (- for stdin); binary codings send its bytes as they are',
    )
    .option(
      '--coding <coding>',
      `${CODING_NAMES.join('|')} or a data_coding number; binary text is hex`,
      'auto',
    )
    .option('--priority <n>', 'priority_flag 0..3', integerIn(0, 3), 0)
    .option(
      '--registered-delivery <rd>',
      `${Object.keys(REGISTERED_DELIVERY_NAMES).join('|')} or a number (default final with --wait-dlr, else none)`,
    )
    .option('--user-message-reference <n>', 'user_message_reference TLV (0..65535)', integerIn(0, 65_535))
    .option('--message-class <name>', 'message_class TLV (0x2900): one of the account’s message classes')
    .option('--flash', 'flash SMS (class 0 data_coding and dest_addr_subunit 1)')
    .addOption(
      new Option(
        '--long <mode>',
        'long messages: payload (message_payload TLV), udh or sar (default udh when needed)',
      ).argParser(oneOf(['payload', 'udh', 'sar'] as const)),
    )
    .option(
      '--wait-dlr [timeout]',
      'wait for the delivery receipt(s) and print them (default timeout 30s)',
      durationMs,
    )
    .option(
      '--count <n>',
      'send the message n times (prints accepted/s and latency)',
      integerIn(1, 1_000_000),
      1,
    )
    .option('--window <n>', 'submit_sm in flight at most', integerIn(1, 10_000), 10)
    .option('--response-timeout <duration>', 'wait this long for each submit_sm_resp', durationMs, 30_000)
    .option('--connect-timeout <duration>', 'wait this long for the connection', durationMs, 10_000)
    .option('--json', 'print one JSON document instead of text')
    .option(
      '--no-progress',
      'with --count > 1, no progress on stderr (else a line redrawn on a terminal, a plain one every 5 s otherwise)',
    )
    .option(
      '--progress-every <duration>',
      'when stderr is not a terminal, a progress line this often',
      durationMs,
      PLAIN_INTERVAL_MS,
    )
    .action(
      async (text: string | undefined, opts: SendOptions & { progress: boolean; progressEvery: number }) => {
        const plan = await planOf(text, opts, io);
        const progress = opts.progress && plan.count > 1 ? new SendProgress(io.stderr) : undefined;
        progress?.start(opts.progressEvery);
        const report = await interruptible((signal) => runSend(plan, signal, progress)).finally(() => {
          progress?.stop();
        });
        const exitCode = printReport(plan, report, io, opts.json === true);
        if (exitCode !== ExitCode.ok) throw new QuietExit(exitCode);
      },
    );
}
