/**
 * The demo account of `smsgw start`: system_id `demo`, created when missing,
 * its password replaced by a fresh one on every start so that the password
 * printed is the one that works. Everything else about an existing demo
 * account (limits someone changed) is left as it is, but it is enabled.
 */
import { randomInt } from 'node:crypto';
import { AccountExistsError, hashPassword, type AccountStore } from '@smsgw/accounts';

/** The demo account's system_id. */
export const DEMO_SYSTEM_ID = 'demo';

/** Letters and digits without the look-alikes (0/O, 1/l/I), so a password read off a terminal is typed right. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random SMPP password of 8 characters (the most a bind can carry). */
export function generatePassword(length = 8): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)] ?? 'x';
  return out;
}

/** Creates the demo account or resets its password (and enables it); resolves with what was done. */
export async function ensureDemoAccount(store: AccountStore, password: string): Promise<'created' | 'reset'> {
  const passwordHash = await hashPassword(password);
  try {
    // Every priority and 1000 submits/s, so that --priority and --count can be tried out.
    await store.create({
      systemId: DEMO_SYSTEM_ID,
      passwordHash,
      approvedPriorities: [0, 1, 2, 3],
      maxSubmitsPerSecond: 1000,
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof AccountExistsError)) throw err;
  }
  await store.update(DEMO_SYSTEM_ID, { passwordHash, enabled: true });
  return 'reset';
}
