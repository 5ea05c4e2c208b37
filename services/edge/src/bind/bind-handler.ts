/**
 * Answers bind_transmitter, bind_receiver and bind_transceiver: the password
 * first, cheaply when it can be (auth-backoff.ts, password-checker.ts), then
 * the account's rules (bind-check.ts), every refusal inside the session's bind
 * deadline. The edge registers the session once a bind is answered ESME_ROK;
 * nothing here knows about submits or delivery.
 */
import { hashPassword, type Account, type BindType } from '@smsgw/accounts';
import type { Logger } from '@smsgw/runtime';
import { CommandStatus, commandStatusName, type BindRequestPdu, type SmppSession } from '@smsgw/smpp';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AccountSource } from '../account-source.ts';
import type { EdgeMetrics } from '../metrics.ts';
import { AuthBackoff, type AuthBackoffOptions } from './auth-backoff.ts';
import { bindCheckStatus, checkBind } from './bind-check.ts';
import type { BindFailureSync } from './bind-failure-sync.ts';
import { bindRespOf } from './bind-resp.ts';
import { PasswordChecker, type PasswordCheckerOptions, type PasswordVerdict } from './password-checker.ts';

/** The bind type each bind command asks for. */
export const BIND_TYPE: Record<BindRequestPdu['command'], BindType> = {
  bind_transmitter: 'transmitter',
  bind_receiver: 'receiver',
  bind_transceiver: 'transceiver',
};

/** Password-check limits when none are given (the config's defaults). */
export const DEFAULT_PASSWORD_CHECKS: PasswordCheckerOptions = {
  maxConcurrent: 4,
  maxPerAddress: 4,
  maxQueued: 16,
  cacheTtlMs: 900_000,
  cacheEntries: 10_000,
};

/** Dependencies and settings of a BindHandler. */
export interface BindHandlerOptions {
  readonly accounts: AccountSource;
  readonly metrics: Pick<EdgeMetrics, 'binds' | 'passwordChecks'>;
  readonly logger: Logger;
  /** system_id in bind responses. */
  readonly systemId: string;
  readonly authBackoff: AuthBackoffOptions;
  readonly passwordChecks: PasswordCheckerOptions;
  /** Hash an unknown system_id's password is checked against (default: one made on first need). */
  readonly unknownAccountHash?: string;
  /** The back-off itself, when shared with other pods; default: one of this pod alone, from authBackoff. */
  readonly backoff?: AuthBackoff;
  /** Writes this pod's failed binds for the other pods (bind-failure-sync.ts); default: not shared. */
  readonly bindFailures?: BindFailureSync;
  /** Sessions of an account already bound on every edge pod (cluster-binds.ts: maxBinds is the account's). */
  boundSessions(systemId: string): number;
}

/** One bind request on one connection. */
export interface BindRequest {
  readonly session: SmppSession;
  readonly pdu: BindRequestPdu;
  readonly sessionId: string;
  readonly transport: 'tcp' | 'tls';
  readonly remoteAddress: string | undefined;
  /** When the connection was accepted (its bind timer started), performance.now(). */
  readonly acceptedAt: number;
  /** Shutdown has begun, for the pod or this session: the bind is refused. */
  refusing(): boolean;
  /** Called synchronously right after the bind was answered ESME_ROK, before any other event. */
  bound(account: Account, bindType: BindType): void;
}

/** Answers a bind request, or answers it with `status` if it is still unanswered. */
export function answerBind(session: SmppSession, pdu: BindRequestPdu, status: number, log: Logger): void {
  try {
    session.reply(pdu, status);
  } catch (error) {
    // Already answered (NoPendingRequestError): nothing more to say.
    log.debug({ err: error }, 'bind already answered');
  }
}

/** Authenticates and admits binds. */
export class BindHandler {
  readonly #o: BindHandlerOptions;
  readonly #backoff: AuthBackoff;
  readonly #passwords: PasswordChecker;
  #unknownHash: Promise<string> | undefined;

  constructor(options: BindHandlerOptions) {
    this.#o = options;
    this.#backoff = options.backoff ?? new AuthBackoff(options.authBackoff);
    this.#passwords = new PasswordChecker(options.passwordChecks);
  }

  /** Answers a bind: ESME_ROK (then `request.bound`) or a refusal. Rejects only on an unexpected failure, unanswered. */
  async bind(request: BindRequest): Promise<void> {
    const { session, pdu } = request;
    const bindType = BIND_TYPE[pdu.command];
    const { systemId } = pdu;
    const log = this.#o.logger.child({ sessionId: request.sessionId, systemId, bindType });
    const refuse = (result: string, status: number): void => {
      this.#o.metrics.binds.inc({ bind_type: bindType, result });
      log.info(
        { result, commandStatus: commandStatusName(status), remoteAddress: request.remoteAddress },
        'bind refused',
      );
      answerBind(session, pdu, status, this.#o.logger);
    };
    if (request.refusing()) {
      refuse('shutting_down', CommandStatus.ESME_RBINDFAIL);
      return;
    }
    if (!(await this.#authenticate(request, log))) {
      // Refused (ESME_RINVPASWD, or ESME_RBINDFAIL when too busy to check) inside the bind deadline.
      return;
    }
    if (this.#backoff.recordSuccess(systemId)) this.#o.bindFailures?.succeeded(systemId);
    // Re-read after the await: the account may have changed or gone meanwhile.
    const account = this.#o.accounts.get(systemId);
    if (account === undefined) {
      refuse('disabled', CommandStatus.ESME_RBINDFAIL);
      return;
    }
    // Checked again: shutdown may have begun during the password check.
    if (request.refusing()) {
      refuse('shutting_down', CommandStatus.ESME_RBINDFAIL);
      return;
    }
    const result = checkBind(account, {
      bindType,
      remoteAddress: request.remoteAddress,
      tls: request.transport === 'tls',
      bound: this.#o.boundSessions(systemId),
    });
    if (result !== 'ok') {
      refuse(result, bindCheckStatus(result));
      return;
    }
    if (!session.reply(pdu, CommandStatus.ESME_ROK, bindRespOf(this.#o.systemId, pdu.interfaceVersion)))
      return;
    request.bound(account, bindType);
    this.#o.metrics.binds.inc({ bind_type: bindType, result: 'ok' });
    log.info({ remoteAddress: request.remoteAddress, transport: request.transport }, 'bound');
  }

  /**
   * Checks a bind's password, cheaply first (issue #14): a pair verified
   * recently is taken from the cache even while its address or system_id is
   * in back-off; else a bind during back-off is refused without scrypt; else
   * scrypt runs within the checker's concurrency limits. Every refusal is
   * answered here, after the back-off delay but never past the bind deadline
   * (when the delay had to be cut short, the connection is then ended).
   * Resolves true when the password matched.
   */
  async #authenticate(request: BindRequest, log: Logger): Promise<boolean> {
    const { session, pdu } = request;
    const bindType = BIND_TYPE[pdu.command];
    const { systemId, password } = pdu;
    const address = request.remoteAddress ?? '?';
    const known = this.#o.accounts.get(systemId);
    const storedHash = known?.passwordHash ?? (await this.#unknownAccountHash());
    const checks = this.#o.metrics.passwordChecks;
    if (known !== undefined && this.#passwords.cached(systemId, password, storedHash)) {
      checks.inc({ outcome: 'cache' });
      return true;
    }
    const refuse = async (result: string, status: number, delayMs: number): Promise<false> => {
      const left = bindTimeLeft(request);
      const wait = Math.min(delayMs, left);
      if (wait > 0) await sleep(wait, undefined, { ref: false });
      this.#o.metrics.binds.inc({ bind_type: bindType, result });
      log.info(
        { result, commandStatus: commandStatusName(status), remoteAddress: request.remoteAddress },
        'bind refused',
      );
      answerBind(session, pdu, status, this.#o.logger);
      // The back-off would outlast the bind timeout: answered now, and the connection ends.
      if (delayMs > left) session.end();
      return false;
    };
    const inBackoff = this.#backoff.remaining(address, systemId);
    if (inBackoff > 0) {
      checks.inc({ outcome: 'backoff' });
      return refuse('invalid_credentials', CommandStatus.ESME_RINVPASWD, inBackoff);
    }
    let verdict: PasswordVerdict;
    try {
      verdict = await this.#passwords.verify(
        address,
        systemId,
        password,
        storedHash,
        () => session.state === 'closed',
      );
    } catch (error) {
      // A stored hash that is not a hash: the record is broken, which is an operator's problem, not the client's.
      log.error({ err: error }, 'account password hash unreadable');
      verdict = 'mismatch';
    }
    if (verdict === 'busy') {
      checks.inc({ outcome: 'busy' });
      return refuse('busy', CommandStatus.ESME_RBINDFAIL, this.#o.authBackoff.baseMs);
    }
    checks.inc({ outcome: 'scrypt' });
    if (known === undefined || verdict === 'mismatch') {
      const delay = this.#backoff.recordFailure(address, systemId);
      this.#o.bindFailures?.failed(address, systemId);
      return refuse('invalid_credentials', CommandStatus.ESME_RINVPASWD, delay);
    }
    return true;
  }

  /** The hash an unknown system_id's password is checked against, made once on first need. */
  #unknownAccountHash(): Promise<string> {
    this.#unknownHash ??= Promise.resolve(this.#o.unknownAccountHash ?? hashPassword('unknown!'));
    return this.#unknownHash;
  }
}

/** Time left before the session's bind timeout, less a margin for the answer to get out (ms; Infinity when off). */
function bindTimeLeft(request: BindRequest): number {
  const timeout = request.session.options.bindTimeout;
  if (timeout === 0) return Number.POSITIVE_INFINITY;
  const margin = Math.min(1_000, timeout / 10);
  return Math.max(0, request.acceptedAt + timeout - margin - performance.now());
}
