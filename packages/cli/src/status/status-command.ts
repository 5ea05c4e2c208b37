/**
 * `smsgw status`: the system's state read from NATS (read-status.ts), as
 * tables or one JSON document (--json); --watch reads and prints it again
 * every interval until Ctrl-C (the screen redrawn on a terminal; otherwise
 * one report, or one JSON line, after another).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import { natsOption, type NatsOption } from '../accounts/account-store-access.ts';
import { println, type CliIo } from '../cli-io.ts';
import { connectCliNats, natsUrlOf, shownUrl } from '../nats-connection.ts';
import { durationMs } from '../option-parsers.ts';
import { readSystemStatus } from './read-status.ts';
import { statusText } from './status-text.ts';

interface StatusOptions extends NatsOption {
  json?: boolean;
  watch?: number | true;
}

/** How often --watch reads by default. */
const DEFAULT_WATCH_MS = 2_000;

/** Clears a terminal and puts the cursor home. */
const CLEAR_SCREEN = '\x1b[2J\x1b[H';

/** A signal aborted by the first SIGINT or SIGTERM, and how to remove its listeners. */
function stopSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (): void => {
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** The `status` command, writing to `io`. */
export function statusCommand(io: CliIo): Command {
  const command = new Command('status')
    .description(
      'show the system as NATS holds it: edge pods and their receivers, stream depths, lane lags, DLR backlogs, connectors',
    )
    .option('--json', 'print one JSON document (with --watch: one JSON line per refresh)')
    .option(
      '--watch [interval]',
      `refresh every interval (default ${DEFAULT_WATCH_MS / 1000}s) until Ctrl-C`,
      durationMs,
    );
  return natsOption(command).action(async (opts: StatusOptions) => {
    const url = natsUrlOf(opts.natsUrl, io.env);
    const nc = await connectCliNats(url, 'smsgw-status');
    const tty = (io.stdout as { isTTY?: boolean }).isTTY === true;
    const print = async (): Promise<void> => {
      const status = await readSystemStatus(nc);
      if (opts.json === true) {
        println(io, opts.watch === undefined ? JSON.stringify(status, null, 2) : JSON.stringify(status));
        return;
      }
      const text = statusText(status, shownUrl(url)).join('\n');
      if (opts.watch !== undefined && tty) io.stdout.write(CLEAR_SCREEN);
      println(io, text);
      if (opts.watch !== undefined && !tty) println(io);
    };
    try {
      await print();
      if (opts.watch === undefined) return;
      const everyMs = opts.watch === true ? DEFAULT_WATCH_MS : opts.watch;
      const stop = stopSignal();
      try {
        // sleep() rejects when the signal aborts: the watch ends there.
        while (await sleep(everyMs, true, { signal: stop.signal }).catch(() => false)) await print();
      } finally {
        stop.dispose();
      }
    } finally {
      await nc.close();
    }
  });
}
