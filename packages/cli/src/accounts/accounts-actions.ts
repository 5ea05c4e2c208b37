/**
 * What each `smsgw accounts` subcommand does, on an open AccountStore: the
 * command layer (accounts-command.ts) only parses options and prints.
 */
import {
  AccountNotFoundError,
  hashPassword,
  type Account,
  type AccountPatch,
  type AccountStore,
} from '@smsgw/accounts';

/** The fields `accounts add` and `accounts update` may set (never the hash, never the timestamps). */
export type AccountSettings = Omit<AccountPatch, 'passwordHash'>;

/** Creates an account with a fresh scrypt hash of `password`; AccountExistsError when taken. */
export async function addAccount(
  store: AccountStore,
  systemId: string,
  password: string,
  settings: AccountSettings,
): Promise<Account> {
  const passwordHash = await hashPassword(password);
  return store.create({ ...settings, systemId, passwordHash });
}

/** Every account, by system_id. */
export function listAccounts(store: AccountStore): Promise<Account[]> {
  return store.list();
}

/** One account; AccountNotFoundError when there is none. */
export async function showAccount(store: AccountStore, systemId: string): Promise<Account> {
  const account = await store.get(systemId);
  if (account === undefined) throw new AccountNotFoundError(systemId);
  return account;
}

/**
 * Patches an account's settings, keeping the others; AccountNotFoundError when there is none. A
 * function of the current account (rules merged into the existing ones) is called again on a retry.
 */
export function updateAccount(
  store: AccountStore,
  systemId: string,
  settings: AccountSettings | ((current: Account) => AccountSettings),
): Promise<Account> {
  return store.update(systemId, settings);
}

/** Replaces the password hash with a fresh one of `password`. */
export async function setAccountPassword(
  store: AccountStore,
  systemId: string,
  password: string,
): Promise<Account> {
  // Hash once, outside the store's retry loop: a conflict retry must not cost another scrypt run.
  const passwordHash = await hashPassword(password);
  return store.update(systemId, { passwordHash });
}

/** Deletes an account; AccountNotFoundError when there was none. */
export async function removeAccount(store: AccountStore, systemId: string): Promise<void> {
  if (!(await store.remove(systemId))) throw new AccountNotFoundError(systemId);
}
