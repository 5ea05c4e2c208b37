/**
 * The account settings options shared by `accounts add` and `accounts
 * update`, and how their parsed values become an account patch.
 */
import { BIND_TYPES, type BindType } from '@smsgw/accounts';
import type { Priority } from '@smsgw/nats';
import { Option, type Command } from 'commander';
import { integerIn, integerList, list, listOf, validitySeconds } from '../option-parsers.ts';
import type { AccountSettings } from './accounts-actions.ts';

/** The parsed settings options; absent when not given. */
export interface SettingsOptions {
  bindTypes?: BindType[];
  maxBinds?: number;
  maxSubmitsPerSecond?: number;
  maxValidity?: number;
  allowedCidrs?: string[];
  approvedPriorities?: number[];
  messageClasses?: string[];
  tlsRequired?: boolean;
}

/** Adds the settings options to `command` (with `--no-tls-required` and --enable/--disable on update). */
export function addSettingsOptions(command: Command, forUpdate: boolean): Command {
  command
    .option(
      '--bind-types <list>',
      `allowed bind types, comma-separated: ${BIND_TYPES.join(',')}`,
      listOf(BIND_TYPES),
    )
    .option('--max-binds <n>', 'concurrent binds allowed (1..10000)', integerIn(1, 10_000))
    .option(
      '--max-submits-per-second <n>',
      'submit_sm per second allowed (1..1000000)',
      integerIn(1, 1_000_000),
    )
    .option(
      '--max-validity <duration>',
      'the longest a message may wait to be sent, e.g. 48h, 90m, 3600s (1m..30d; default 48h)',
      validitySeconds,
    )
    .option('--allowed-cidrs <list>', 'peers that may bind, comma-separated CIDRs or addresses', list)
    .option(
      '--approved-priorities <list>',
      'priority_flag values the account may use, e.g. 0,1,2',
      integerList(0, 3),
    )
    .option(
      '--message-classes <list>',
      'message classes the account may send; the first is the default',
      list,
    )
    .option('--tls-required', 'accept binds over TLS only');
  if (forUpdate) {
    command
      .option('--no-tls-required', 'accept binds over plain TCP too')
      .addOption(new Option('--enable', 'let the account bind again').conflicts('disable'))
      .addOption(new Option('--disable', 'refuse the account’s binds (its sessions are closed)'));
  }
  return command;
}

/** The patch made of the options given (update), or the new account's settings (add). */
export function settingsOf(opts: SettingsOptions & { enable?: boolean; disable?: boolean }): AccountSettings {
  const settings: { -readonly [K in keyof AccountSettings]: AccountSettings[K] } = {};
  if (opts.bindTypes !== undefined) settings.bindTypes = opts.bindTypes;
  if (opts.maxBinds !== undefined) settings.maxBinds = opts.maxBinds;
  if (opts.maxSubmitsPerSecond !== undefined) settings.maxSubmitsPerSecond = opts.maxSubmitsPerSecond;
  if (opts.maxValidity !== undefined) settings.maxValiditySeconds = opts.maxValidity;
  if (opts.allowedCidrs !== undefined) settings.allowedCidrs = opts.allowedCidrs;
  // integerList(0, 3) has checked the range.
  if (opts.approvedPriorities !== undefined)
    settings.approvedPriorities = opts.approvedPriorities as Priority[];
  if (opts.messageClasses !== undefined) settings.messageClasses = opts.messageClasses;
  if (opts.tlsRequired !== undefined) settings.tlsRequired = opts.tlsRequired;
  if (opts.enable === true) settings.enabled = true;
  if (opts.disable === true) settings.enabled = false;
  return settings;
}
