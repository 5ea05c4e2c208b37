/**
 * How accounts are shown: a table for `list`, key/value lines for `show`, or
 * JSON. The password hash is never part of any of them.
 */
import type { Account } from '@smsgw/accounts';

/** An account as the CLI shows it: everything but the password hash. */
export type AccountView = Omit<Account, 'passwordHash'>;

/** Drops the password hash. */
export function viewOf(account: Account): AccountView {
  const { passwordHash: _hash, ...view } = account;
  return view;
}

function cell(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map(String).join(',');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

const COLUMNS: readonly [string, (a: AccountView) => unknown][] = [
  ['SYSTEM_ID', (a) => a.systemId],
  ['ENABLED', (a) => a.enabled],
  ['BIND_TYPES', (a) => a.bindTypes],
  ['MAX_BINDS', (a) => a.maxBinds],
  ['MAX_SUBMITS/S', (a) => a.maxSubmitsPerSecond],
  ['TLS_REQUIRED', (a) => a.tlsRequired],
  ['PRIORITIES', (a) => a.approvedPriorities],
  ['MESSAGE_CLASSES', (a) => a.messageClasses],
  ['ALLOWED_CIDRS', (a) => a.allowedCidrs],
];

/** A fixed-width table, one account per line, with a header. */
export function formatAccountTable(accounts: readonly AccountView[]): string {
  const rows = [
    COLUMNS.map(([title]) => title),
    ...accounts.map((a) => COLUMNS.map(([, get]) => cell(get(a)))),
  ];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** One `field: value` line per field; rules and routes as compact JSON. */
export function formatAccountDetails(account: AccountView): string {
  const entries = Object.entries(account) as [string, unknown][];
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries
    .map(([key, value]) => {
      const shown =
        Array.isArray(value) && value.some((v) => typeof v === 'object')
          ? JSON.stringify(value)
          : cell(value);
      return `${`${key}:`.padEnd(width + 2)}${shown}`;
    })
    .join('\n');
}
