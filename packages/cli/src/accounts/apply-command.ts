/**
 * `smsgw accounts apply --file <yaml|json> [--file …] [--prune]`: declarative
 * accounts, e.g. from a Kubernetes Secret in the Helm chart's hook Job. Prints
 * one line per account (what happened, which fields changed), never a
 * password or a hash.
 */
import { Command } from 'commander';
import { formatNumberRange } from '@smsgw/accounts';
import { println, type CliIo } from '../cli-io.ts';
import { withNumbers } from '../numbers/numbers-command.ts';
import { readAccountFiles } from './account-file.ts';
import { jsonOption, natsOption, withStore, type NatsOption } from './account-store-access.ts';
import { applyAccounts, type ApplyOutcome, type ApplyResult } from './apply-accounts.ts';

interface ApplyCommandOptions extends NatsOption {
  file: string[];
  prune?: boolean;
  json?: boolean;
}

/** Commander's way of making an option repeatable (no default, so that requiredOption still checks it). */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The text report: a line per account, then the counts. */
function formatResults(results: readonly ApplyResult[]): string {
  const lines = results.map(({ systemId, outcome, changed }) =>
    changed.length === 0 ? `${outcome} ${systemId}` : `${outcome} ${systemId}: ${changed.join(', ')}`,
  );
  const outcomes: readonly ApplyOutcome[] = ['created', 'updated', 'unchanged', 'removed'];
  const counts = outcomes.map((o) => `${results.filter((r) => r.outcome === o).length} ${o}`);
  return [...lines, `accounts: ${counts.join(', ')}`].join('\n');
}

/** The `accounts apply` subcommand, writing to `io`. */
export function applyCommand(io: CliIo): Command {
  const apply = new Command('apply')
    .description(
      'create or update every account declared in the files (idempotent); plaintext passwords are hashed',
    )
    .requiredOption(
      '--file <path>',
      'YAML or JSON file with an `accounts:` list; repeat for several files',
      collect,
    )
    .option('--prune', 'also remove stored accounts that no file declares');
  natsOption(jsonOption(apply)).action(async (opts: ApplyCommandOptions) => {
    // Every file is read and validated before NATS is touched: a bad file changes nothing.
    const declared = await readAccountFiles(opts.file);
    const results = await withStore(io, opts, (store) =>
      applyAccounts(store, declared, { prune: opts.prune === true }),
    );
    // Then the numbers of every account whose entry has a `numbers:` list: exactly those, one compare-and-set each.
    const withNumberLists = declared.filter((d) => d.numbers !== undefined);
    if (withNumberLists.length > 0) {
      await withNumbers(io, opts, async (numbers) => {
        for (const d of withNumberLists) await numbers.setAccountNumbers(d.systemId, d.numbers ?? []);
      });
    }
    println(io, opts.json === true ? JSON.stringify(results, null, 2) : formatResults(results));
    for (const d of withNumberLists) {
      if (opts.json !== true)
        println(
          io,
          `${d.systemId}: numbers ${(d.numbers ?? []).map(formatNumberRange).join(', ') || 'none'}`,
        );
    }
  });
  return apply;
}
