/**
 * `smsgw accounts add|list|show|update|remove|set-password|apply`: the
 * account store in the accounts KV bucket, administered over NATS.
 */
import { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import { println, type CliIo } from '../cli-io.ts';
import { readPassword } from '../password-input.ts';
import {
  addAccount,
  listAccounts,
  removeAccount,
  setAccountPassword,
  showAccount,
  updateAccount,
} from './accounts-actions.ts';
import { addSettingsOptions, settingsOf, type SettingsOptions } from './account-settings.ts';
import { addRuleOptions, hasRuleOptions, rulesPatch, type RuleOptions } from './rule-options.ts';
import { jsonOption, natsOption, withStore, type NatsOption } from './account-store-access.ts';
import { applyCommand } from './apply-command.ts';
import { formatAccountDetails, formatAccountTable, viewOf } from './account-view.ts';

interface OutputOptions extends NatsOption {
  json?: boolean;
}

interface PasswordOption {
  password?: string;
}

function passwordOption(command: Command): Command {
  return command.option(
    '--password <password>',
    'the SMPP password, 1..8 printable ASCII characters (default: prompt without echo, or the first line of stdin)',
  );
}

/** The `accounts` command with its subcommands, writing to `io`. */
export function accountsCommand(io: CliIo): Command {
  const accounts = new Command('accounts').description(
    'manage customer accounts (SMPP credentials, limits, rules)',
  );

  const add = new Command('add')
    .description('create an account')
    .requiredOption('--system-id <id>', 'the SMPP system_id, 1..15 visible ASCII characters');
  passwordOption(add);
  addSettingsOptions(add, false);
  addRuleOptions(add, false);
  natsOption(jsonOption(add)).action(
    async (opts: SettingsOptions & RuleOptions & OutputOptions & PasswordOption & { systemId: string }) => {
      const password = await readPassword(io, opts.password);
      const settings = { ...settingsOf(opts), ...rulesPatch({ routes: [], priorityRules: [] }, opts) };
      const account = await withStore(io, opts, (store) =>
        addAccount(store, opts.systemId, password, settings),
      );
      if (opts.json === true) println(io, JSON.stringify(viewOf(account), null, 2));
      else println(io, `created account ${account.systemId}`);
    },
  );

  const list = natsOption(jsonOption(new Command('list').description('list every account'))).action(
    async (opts: OutputOptions) => {
      const all = await withStore(io, opts, listAccounts);
      const views = all.map(viewOf);
      if (opts.json === true) println(io, JSON.stringify(views, null, 2));
      else if (views.length === 0) println(io, 'no accounts');
      else println(io, formatAccountTable(views));
    },
  );

  const show = natsOption(
    jsonOption(new Command('show').description('show one account').argument('<system-id>', 'the account')),
  ).action(async (systemId: string, opts: OutputOptions) => {
    const view = viewOf(await withStore(io, opts, (store) => showAccount(store, systemId)));
    println(io, opts.json === true ? JSON.stringify(view, null, 2) : formatAccountDetails(view));
  });

  const update = new Command('update')
    .description('change some settings of an account, keeping the others')
    .argument('<system-id>', 'the account');
  addSettingsOptions(update, true);
  addRuleOptions(update, true);
  natsOption(jsonOption(update)).action(
    async (
      systemId: string,
      opts: SettingsOptions & RuleOptions & OutputOptions & { enable?: boolean; disable?: boolean },
    ) => {
      const settings = settingsOf(opts);
      if (Object.keys(settings).length === 0 && !hasRuleOptions(opts)) {
        throw new CliError('nothing to update: give at least one setting (see --help)', 2);
      }
      // Rules merge into the stored ones: read inside the store's compare-and-set loop.
      const account = await withStore(io, opts, (store) =>
        updateAccount(store, systemId, (current) => ({ ...settings, ...rulesPatch(current, opts) })),
      );
      if (opts.json === true) println(io, JSON.stringify(viewOf(account), null, 2));
      else println(io, `updated account ${account.systemId}`);
    },
  );

  const setPassword = passwordOption(
    new Command('set-password')
      .description('give an account a new password')
      .argument('<system-id>', 'the account'),
  );
  natsOption(setPassword).action(async (systemId: string, opts: NatsOption & PasswordOption) => {
    const password = await readPassword(io, opts.password, `New password for ${systemId}: `);
    await withStore(io, opts, (store) => setAccountPassword(store, systemId, password));
    println(io, `password of ${systemId} changed`);
  });

  const remove = natsOption(
    new Command('remove').description('delete an account').argument('<system-id>', 'the account'),
  ).action(async (systemId: string, opts: NatsOption) => {
    await withStore(io, opts, (store) => removeAccount(store, systemId));
    println(io, `removed account ${systemId}`);
  });

  const apply = applyCommand(io);
  for (const sub of [add, list, show, update, setPassword, remove, apply]) accounts.addCommand(sub);
  return accounts;
}
