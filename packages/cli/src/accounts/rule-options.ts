/**
 * The routing and priority rule options of `accounts add` and `accounts
 * update`: how `--route`, `--remove-route`, `--clear-routes`,
 * `--priority-rule` and `--clear-priority-rules` are read, and how they turn
 * into the account's new `routes` and `priorityRules` (README.md, "Routes and
 * priority rules").
 */
import {
  ConnectorListSchema,
  DestinationPrefixSchema,
  MessageClassSchema,
  type Account,
  type PriorityRule,
  type Route,
} from '@smsgw/accounts';
import type { Priority } from '@smsgw/nats';
import { InvalidArgumentError, type Command } from 'commander';
import { integerIn, list } from '../option-parsers.ts';

/** The parsed rule options; absent when not given. */
export interface RuleOptions {
  route?: Route[];
  removeRoute?: string[];
  clearRoutes?: boolean;
  priorityRule?: PriorityRule[];
  clearPriorityRules?: boolean;
}

/** A route prefix as typed: digits, or `*` for every destination (the empty prefix). */
function prefixOf(text: string): string {
  const prefix = text.trim().replace(/^\+/, '');
  if (prefix === '*') return '';
  if (!DestinationPrefixSchema.safeParse(prefix).success) {
    throw new InvalidArgumentError(
      `expected a destination prefix of 1..20 digits or *, got ${JSON.stringify(text)}`,
    );
  }
  return prefix;
}

/** `45=upstream-dk,upstream-eu`: destinations starting with 45 go to upstream-dk, else upstream-eu. */
export function parseRoute(text: string): Route {
  const eq = text.indexOf('=');
  if (eq < 0)
    throw new InvalidArgumentError(
      `expected <prefix>=<connector>[,<connector>…], got ${JSON.stringify(text)}`,
    );
  const connectors = ConnectorListSchema.safeParse(list(text.slice(eq + 1)));
  if (!connectors.success) {
    throw new InvalidArgumentError(
      `expected 1..8 different connector names (A-Z a-z 0-9 _ -) after the =, got ${JSON.stringify(text)}`,
    );
  }
  return { destinationPrefix: prefixOf(text.slice(0, eq)), connectors: connectors.data };
}

/** `class=bulk:0`, `prefix=44:1`, `class=otp,prefix=45:3`, `*:0`: the conditions, a colon, the priority. */
export function parsePriorityRule(text: string): PriorityRule {
  const colon = text.lastIndexOf(':');
  const usage = `expected [class=<class>][,prefix=<digits>]:<0..3> or *:<0..3>, got ${JSON.stringify(text)}`;
  if (colon < 0) throw new InvalidArgumentError(usage);
  const priority = integerIn(0, 3)(text.slice(colon + 1)) as Priority;
  const conditions = text.slice(0, colon).trim();
  const match: { messageClass?: string; destinationPrefix?: string } = {};
  if (conditions !== '*') {
    for (const condition of list(conditions)) {
      const [key, value = ''] = condition.split('=', 2);
      if (
        key === 'class' &&
        match.messageClass === undefined &&
        MessageClassSchema.safeParse(value).success
      ) {
        match.messageClass = value;
      } else if (key === 'prefix' && match.destinationPrefix === undefined && value !== '*') {
        match.destinationPrefix = prefixOf(value);
      } else {
        throw new InvalidArgumentError(usage);
      }
    }
    if (Object.keys(match).length === 0) throw new InvalidArgumentError(usage);
  }
  return { match, priority };
}

function collect<T>(parse: (text: string) => T): (text: string, previous: T[] | undefined) => T[] {
  return (text, previous) => [...(previous ?? []), parse(text)];
}

/** Adds the rule options to `command` (the removal and clearing ones on update only). */
export function addRuleOptions(command: Command, forUpdate: boolean): Command {
  command
    .option(
      '--route <prefix=connectors>',
      'route destinations starting with <prefix> (digits, or * for all) to these connectors, in failover order; repeatable' +
        (forUpdate ? ' (replaces the route of that prefix, keeps the others)' : ''),
      collect(parseRoute),
    )
    .option(
      '--priority-rule <rule>',
      'a priority overwrite rule, [class=<c>][,prefix=<digits>]:<0..3> or *:<0..3>; repeatable, first match wins' +
        (forUpdate ? ' (the rules given replace all of the account’s rules)' : ''),
      collect(parsePriorityRule),
    );
  if (forUpdate) {
    command
      .option(
        '--remove-route <prefix>',
        'remove the route of this prefix (* for the catch-all); repeatable',
        collect(prefixOf),
      )
      .option('--clear-routes', 'remove every route (before any --route)')
      .option('--clear-priority-rules', 'remove every priority rule');
  }
  return command;
}

/** Whether any rule option was given. */
export function hasRuleOptions(opts: RuleOptions): boolean {
  return (
    opts.route !== undefined ||
    opts.removeRoute !== undefined ||
    opts.clearRoutes === true ||
    opts.priorityRule !== undefined ||
    opts.clearPriorityRules === true
  );
}

/**
 * The account's rules after the options: routes cleared (--clear-routes), then those of
 * --remove-route dropped, then each --route set (replacing the one of its prefix); priority rules
 * replaced by --priority-rule's (or emptied by --clear-priority-rules). Undefined fields are unchanged.
 */
export function rulesPatch(
  current: Pick<Account, 'routes' | 'priorityRules'>,
  opts: RuleOptions,
): { routes?: Route[]; priorityRules?: PriorityRule[] } {
  const patch: { routes?: Route[]; priorityRules?: PriorityRule[] } = {};
  if (opts.route !== undefined || opts.removeRoute !== undefined || opts.clearRoutes === true) {
    const removed = new Set([
      ...(opts.removeRoute ?? []),
      ...(opts.route ?? []).map((r) => r.destinationPrefix),
    ]);
    const kept =
      opts.clearRoutes === true ? [] : current.routes.filter((r) => !removed.has(r.destinationPrefix));
    // A prefix given twice: the last --route wins.
    const given = new Map((opts.route ?? []).map((r) => [r.destinationPrefix, r]));
    patch.routes = [...kept, ...given.values()];
  }
  if (opts.priorityRule !== undefined) patch.priorityRules = opts.priorityRule;
  else if (opts.clearPriorityRules === true) patch.priorityRules = [];
  return patch;
}
