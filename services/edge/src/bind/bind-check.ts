/**
 * Whether an authenticated account may bind this way, and the status if not.
 * Everything here is checked only after the password matched, so it reveals
 * nothing to someone without it; every refusal is ESME_RBINDFAIL (the generic
 * one). For the bind limit ESME_RALYBND was considered and rejected: in 3.4
 * it means "this session is already bound", and some clients treat it as a
 * successful bind.
 */
import { isAddressAllowed, type Account, type BindType } from '@smsgw/accounts';
import { CommandStatus } from '@smsgw/smpp';

/** What a bind asks for beyond the credentials. */
export interface BindAttempt {
  readonly bindType: BindType;
  readonly remoteAddress: string | undefined;
  readonly tls: boolean;
  /** Sessions of the account already bound, on every edge pod (cluster-binds.ts). */
  readonly bound: number;
}

/** Why a bind is refused (the metric's result label), or 'ok'. */
export type BindCheckResult = 'ok' | 'disabled' | 'bind_type' | 'address' | 'tls_required' | 'limit';

/** Checks an authenticated bind against the account's rules. */
export function checkBind(account: Account, attempt: BindAttempt): BindCheckResult {
  if (!account.enabled) return 'disabled';
  if (!account.bindTypes.includes(attempt.bindType)) return 'bind_type';
  if (!isAddressAllowed(attempt.remoteAddress, account.allowedCidrs)) return 'address';
  if (account.tlsRequired && !attempt.tls) return 'tls_required';
  // maxBinds holds for the account as a whole: the count includes the other pods' sessions.
  if (attempt.bound >= account.maxBinds) return 'limit';
  return 'ok';
}

/** The command_status answering a bind check result. */
export function bindCheckStatus(result: BindCheckResult): number {
  return result === 'ok' ? CommandStatus.ESME_ROK : CommandStatus.ESME_RBINDFAIL;
}
