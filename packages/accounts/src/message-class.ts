/**
 * Message classes: a submit names its class in the message_class TLV (0x2900,
 * an octet string), or none; the account lists the classes it may send.
 */
import type { Account } from './account.ts';

/**
 * The class a submit is sent in: the one it names if the account may send it,
 * the account's first class when it names none, and undefined when it names a
 * class the account does not have (the edge rejects such a submit).
 */
export function messageClassFor(
  account: Pick<Account, 'messageClasses'>,
  requested: string | undefined,
): string | undefined {
  if (requested === undefined) return account.messageClasses[0];
  return account.messageClasses.includes(requested) ? requested : undefined;
}
