/**
 * What every `smsgw accounts` subcommand shares: the --nats-url and --json
 * options, and opening the accounts bucket on a connection of its own.
 */
import { AccountError, AccountStore } from '@smsgw/accounts';
import type { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../cli-io.ts';
import { natsUrlOf, shownUrl, withNats } from '../nats-connection.ts';

/** The --nats-url option every subcommand has. */
export interface NatsOption {
  natsUrl?: string;
}

/** Opens the accounts bucket on a fresh connection and runs `fn` with it. */
export function withStore<T>(
  io: CliIo,
  opts: NatsOption,
  fn: (store: AccountStore) => Promise<T>,
): Promise<T> {
  const url = natsUrlOf(opts.natsUrl, io.env);
  return withNats(url, async (nc) => {
    let store: AccountStore;
    try {
      store = await AccountStore.open(nc);
    } catch (err) {
      if (!(err instanceof AccountError)) throw err;
      throw new CliError(
        `NATS at ${shownUrl(url)} has no accounts bucket yet: every smsgw service creates it when it starts (locally: \`./run smsgw start\`)`,
        1,
        { cause: err },
      );
    }
    return fn(store);
  });
}

/** Adds --nats-url to a subcommand. */
export function natsOption(command: Command): Command {
  return command.option(
    '--nats-url <url>',
    'NATS server(s), comma-separated (default: $NATS_URL or nats://127.0.0.1:4222)',
  );
}

/** Adds --json to a subcommand. */
export function jsonOption(command: Command): Command {
  return command.option('--json', 'print JSON instead of text');
}
