/**
 * How an account is stored in the accounts KV bucket.
 *
 * Key: the system_id through @smsgw/nats's subject-token escaping (A-Z a-z 0-9
 * _ - as is, every other byte as `=XX`), so `acme.eu` is stored under
 * `acme=2Eeu`. The result only uses characters KV keys allow, never a '.', and
 * is reversible and canonical: one system_id, one key.
 *
 * Value: UTF-8 JSON of the account with a `schemaVersion` field. A reader
 * migrates older versions up to ACCOUNT_SCHEMA_VERSION before validating and
 * refuses newer ones (written by a newer smsgw during a rolling upgrade):
 * guessing at fields it does not know could bind a customer with the wrong
 * rules. Any change to the record's shape bumps the version and adds a
 * migration here.
 */
import { TopologyError, decodeSubjectToken, encodeSubjectToken } from '@smsgw/nats';
import { DEFAULT_MAX_VALIDITY_SECONDS, parseAccount, type Account } from './account.ts';
import { AccountDecodeError, InvalidAccountError } from './errors.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The version of the record this code writes and reads natively. */
export const ACCOUNT_SCHEMA_VERSION = 1;

/** A stored record as parsed JSON, before validation. */
export type AccountRecord = Record<string, unknown>;

/** Upgrades a record by one version: MIGRATIONS[v - 1] turns version v into v + 1. */
export type AccountMigration = (record: AccountRecord) => AccountRecord;

/** The migrations, oldest first; empty while version 1 is the only one. */
export const ACCOUNT_MIGRATIONS: readonly AccountMigration[] = [];

/** The KV key of a system_id (see above). */
export function accountKey(systemId: string): string {
  return encodeSubjectToken(systemId);
}

/** The system_id stored under a KV key; throws AccountDecodeError for a key accountKey() would not produce. */
export function systemIdOfKey(key: string): string {
  try {
    return decodeSubjectToken(key);
  } catch (err) {
    if (err instanceof TopologyError) {
      throw new AccountDecodeError(key, `key ${JSON.stringify(key)} is not an encoded system_id`, {
        cause: err,
      });
    }
    throw err;
  }
}

/**
 * The stored form of an account: JSON with `schemaVersion` first. A route
 * with one connector is written in the older `connector` form, which every
 * version reads, so that accounts without failover routes stay readable by
 * the previous release during a rolling upgrade; only a route listing several
 * connectors writes `connectors` (which that release refuses, as it cannot
 * honour it). maxValiditySeconds is written only when it is not the default,
 * for the same reason.
 */
export function encodeAccount(account: Account): string {
  // The default max validity is left out, like a one-connector route's list: the previous release reads the rest.
  const { maxValiditySeconds, ...rest } = account;
  const validity = maxValiditySeconds === DEFAULT_MAX_VALIDITY_SECONDS ? {} : { maxValiditySeconds };
  const routes = account.routes.map(({ destinationPrefix, connectors }) =>
    connectors.length === 1
      ? { destinationPrefix, connector: connectors[0] }
      : { destinationPrefix, connectors },
  );
  return JSON.stringify({ schemaVersion: ACCOUNT_SCHEMA_VERSION, ...rest, ...validity, routes });
}

/**
 * Brings a record of version `version` up to `target` through `migrations`.
 * Exported with the migration list as a parameter so that the mechanism is
 * testable before the first real migration exists.
 */
export function migrateAccountRecord(
  record: AccountRecord,
  version: number,
  key: string,
  migrations: readonly AccountMigration[] = ACCOUNT_MIGRATIONS,
  target: number = ACCOUNT_SCHEMA_VERSION,
): AccountRecord {
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new AccountDecodeError(
      key,
      `schemaVersion must be a positive integer, not ${JSON.stringify(version)}`,
    );
  }
  if (version > target) {
    throw new AccountDecodeError(
      key,
      `account record has schemaVersion ${version}, written by a newer smsgw; this one reads up to ${target}`,
    );
  }
  let current = record;
  for (let v = version; v < target; v++) {
    const migrate = migrations[v - 1];
    if (migrate === undefined) throw new AccountDecodeError(key, `no migration from schemaVersion ${v}`);
    current = migrate(current);
  }
  return current;
}

/**
 * Reads a stored account: parses the JSON, migrates it, validates it and
 * checks that it belongs under `key`. Throws AccountDecodeError (with the
 * cause) for anything it cannot turn into a valid account.
 */
export function decodeAccount(key: string, data: Uint8Array | string): Account {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof data === 'string' ? data : utf8.decode(data));
  } catch (err) {
    throw new AccountDecodeError(key, 'account record is not UTF-8 JSON', { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AccountDecodeError(key, 'account record is not a JSON object');
  }
  const { schemaVersion, ...record } = parsed as AccountRecord;
  if (typeof schemaVersion !== 'number')
    throw new AccountDecodeError(key, 'account record has no schemaVersion');
  let account: Account;
  try {
    account = parseAccount(migrateAccountRecord(record, schemaVersion, key));
  } catch (err) {
    if (err instanceof InvalidAccountError) {
      throw new AccountDecodeError(key, `stored ${err.message}`, { cause: err });
    }
    throw err;
  }
  if (accountKey(account.systemId) !== key) {
    throw new AccountDecodeError(
      key,
      `account ${JSON.stringify(account.systemId)} is stored under the key of another system_id`,
    );
  }
  return account;
}
