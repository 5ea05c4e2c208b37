/**
 * `smsgw accounts apply`: makes the accounts bucket hold what the files
 * declare. Idempotent: an account already as declared is not written (its
 * updatedAt and revision stay), so running it on every Helm upgrade costs
 * nothing and disturbs no session. Declarative: a setting left out of the
 * file goes back to its default. Nothing is removed unless asked (prune).
 */
import { isDeepStrictEqual } from 'node:util';
import { hashPassword, verifyPassword, type Account, type AccountStore } from '@smsgw/accounts';
import type { DeclaredAccount } from './account-file.ts';

/** What apply did to one account. */
export type ApplyOutcome = 'created' | 'updated' | 'unchanged' | 'removed';

/** One line of apply's report: the account, what happened, and which fields changed (names only). */
export interface ApplyResult {
  readonly systemId: string;
  readonly outcome: ApplyOutcome;
  /** Changed field names for `updated` ('password' for the hash); empty otherwise. */
  readonly changed: readonly string[];
}

/** Options of applyAccounts. */
export interface ApplyOptions {
  /** Remove stored accounts that no file declares. */
  readonly prune: boolean;
}

/** The settings of a stored account in the shape DeclaredAccount.settings has. */
function settingsOfAccount(account: Account): DeclaredAccount['settings'] {
  const { systemId: _s, passwordHash: _h, createdAt: _c, updatedAt: _u, ...settings } = account;
  return settings;
}

/** Names of the settings that differ between the stored account and the declared one. */
function changedSettings(
  current: DeclaredAccount['settings'],
  wanted: DeclaredAccount['settings'],
): string[] {
  const keys = new Set([...Object.keys(current), ...Object.keys(wanted)]);
  return [...keys].filter(
    (key) =>
      !isDeepStrictEqual((current as Record<string, unknown>)[key], (wanted as Record<string, unknown>)[key]),
  );
}

/**
 * The hash to store: the stored one when it already matches the declared
 * password (re-hashing would write a new salt on every run), the declared
 * hash when one is given, else a fresh hash of the plaintext.
 */
async function hashFor(declared: DeclaredAccount, current: Account | undefined): Promise<string> {
  if (declared.passwordHash !== undefined) return declared.passwordHash;
  // readAccountFiles guarantees one of the two is set.
  const password = declared.password ?? '';
  if (current !== undefined && (await verifyPassword(password, current.passwordHash))) {
    return current.passwordHash;
  }
  return hashPassword(password);
}

/** Creates or updates one declared account. */
async function applyOne(store: AccountStore, declared: DeclaredAccount): Promise<ApplyResult> {
  const current = await store.get(declared.systemId);
  // Hashed once, before the store's compare-and-set loop: a conflict retry must not cost another scrypt run.
  const passwordHash = await hashFor(declared, current);
  if (current === undefined) {
    await store.create({ ...declared.settings, systemId: declared.systemId, passwordHash });
    return { systemId: declared.systemId, outcome: 'created', changed: [] };
  }
  const changed = changedSettings(settingsOfAccount(current), declared.settings);
  if (passwordHash !== current.passwordHash) changed.push('password');
  if (changed.length === 0) return { systemId: declared.systemId, outcome: 'unchanged', changed };
  // Every setting, not only the changed ones: another writer's change since our read is overwritten by the file.
  await store.update(declared.systemId, { ...declared.settings, passwordHash });
  return { systemId: declared.systemId, outcome: 'updated', changed };
}

/** Applies every declared account in order, then prunes if asked; resolves with one result per account touched or checked. */
export async function applyAccounts(
  store: AccountStore,
  declared: readonly DeclaredAccount[],
  options: ApplyOptions,
): Promise<ApplyResult[]> {
  const results: ApplyResult[] = [];
  for (const account of declared) results.push(await applyOne(store, account));
  if (options.prune) {
    const wanted = new Set(declared.map((a) => a.systemId));
    for (const stored of await store.list()) {
      if (wanted.has(stored.systemId)) continue;
      // Gone meanwhile (another admin removed it) is as good as removed by us.
      await store.remove(stored.systemId);
      results.push({ systemId: stored.systemId, outcome: 'removed', changed: [] });
    }
  }
  return results;
}
