/**
 * `smsgw numbers add|list|remove`: the numbers (long numbers, short codes,
 * ranges) accounts own, for mobile-originated messages (README.md,
 * "Mobile-originated messages"). Every change is one compare-and-set of the
 * number plan (@smsgw/accounts number-store.ts): a number already owned by
 * another account is refused, however many admins write at once.
 */
import {
  AccountError,
  NumberStore,
  formatNumberRange,
  parseNumberRange,
  type NumberRange,
} from '@smsgw/accounts';
import { Command } from 'commander';
import { CliError, UsageError } from '../cli-error.ts';
import { println, type CliIo } from '../cli-io.ts';
import { natsUrlOf, shownUrl, withNats } from '../nats-connection.ts';
import { jsonOption, natsOption, type NatsOption } from '../accounts/account-store-access.ts';

/** Opens the numbers bucket on a fresh connection and runs `fn` with it. */
export function withNumbers<T>(
  io: CliIo,
  opts: NatsOption,
  fn: (store: NumberStore) => Promise<T>,
): Promise<T> {
  const url = natsUrlOf(opts.natsUrl, io.env);
  return withNats(url, async (nc) => {
    let store: NumberStore;
    try {
      store = await NumberStore.open(nc);
    } catch (err) {
      if (!(err instanceof AccountError)) throw err;
      throw new CliError(
        `NATS at ${shownUrl(url)} has no numbers bucket yet: the smsgw services create it when they start (locally: \`./run smsgw start\`)`,
        1,
        { cause: err },
      );
    }
    return fn(store);
  });
}

/** Parses the number arguments; UsageError naming the bad one. */
function rangesOf(texts: readonly string[]): NumberRange[] {
  return texts.map((text) => {
    try {
      return parseNumberRange(text);
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
  });
}

/** The `numbers` command group, writing to `io`. */
export function numbersCommand(io: CliIo): Command {
  const numbers = new Command('numbers').description(
    'numbers and ranges accounts own: MOs (replies from handsets) to them go to the account’s receivers',
  );
  natsOption(
    numbers
      .command('add')
      .description('give numbers to an account: 4512345678, short code 1234, range 4512340000-4512349999')
      .argument('<system-id>', 'the owning account')
      .argument('<numbers...>', 'numbers or ranges <from>-<to> (same length)'),
  ).action(async (systemId: string, texts: string[], opts: NatsOption) => {
    const ranges = rangesOf(texts);
    await withNumbers(io, opts, async (store) => {
      await store.add(systemId, ranges);
    });
    for (const range of ranges) println(io, `${formatNumberRange(range)}: owned by ${systemId}`);
  });
  natsOption(
    jsonOption(
      numbers
        .command('list')
        .description('list every number and range with its owner')
        .option('--account <system-id>', 'only this account’s'),
    ),
  ).action(async (opts: NatsOption & { json?: boolean; account?: string }) => {
    const { plan } = await withNumbers(io, opts, (store) => store.read());
    const entries = opts.account === undefined ? plan.entries : plan.entriesOf(opts.account);
    if (opts.json === true) {
      println(
        io,
        JSON.stringify(entries.map((e) => ({ number: formatNumberRange(e), systemId: e.systemId }))),
      );
      return;
    }
    if (entries.length === 0) println(io, 'no numbers');
    for (const e of entries) println(io, `${formatNumberRange(e).padEnd(42)} ${e.systemId}`);
  });
  natsOption(
    numbers
      .command('remove')
      .description('take numbers or ranges away from their owner (exactly as listed)')
      .argument('<numbers...>', 'numbers or ranges as `numbers list` shows them')
      .option('--account <system-id>', 'refuse unless this account owns them'),
  ).action(async (texts: string[], opts: NatsOption & { account?: string }) => {
    const ranges = rangesOf(texts);
    await withNumbers(io, opts, (store) => store.remove(ranges, opts.account));
    for (const range of ranges) println(io, `${formatNumberRange(range)}: removed`);
  });
  return numbers;
}
