/**
 * The bounds on reports the status and MO stages hold in memory while they
 * wait for room at their account's receivers (docs/architecture.md, "A
 * message's life", step 4): a report that finds every window full waits a
 * short time in the account's room queue rather than taking the backlog's
 * extra JetStream hop, but only
 *
 * - while the account holds fewer such reports than its window (free slots
 *   plus reports in flight over its reachable pods),
 * - while fewer than maxHeld are held over all accounts (half the stage's
 *   concurrency: the other accounts keep the rest of it), and
 * - while the account is not "slow": a hold that timed out marks it so for
 *   slowMs, and its reports go straight to the backlog meanwhile, so a client
 *   that answers slowly costs the status stage nothing.
 *
 * Pure bookkeeping, no I/O: the DeliveryPusher asks admit() before a hold and
 * calls end() after it.
 */

/** Why a report was not held (the `outcome` label of dlr_dispatcher_direct_waits_total, prefixed `skipped_`). */
export type HoldRefusal = 'slow' | 'account_cap' | 'total_cap';

/** How a hold ended: room came, its time ran out, or the account's pump (or the pusher) stopped. */
export type HoldEnd = 'room' | 'timeout' | 'released';

/** Settings of DirectHolds. */
export interface DirectHoldsOptions {
  /** Reports held at once over all accounts. */
  readonly maxHeld: number;
  /** How long an account whose hold timed out gets no holds (ms). */
  readonly slowMs: number;
  /** Monotonic clock in ms (default performance.now). */
  readonly now?: () => number;
}

/** Counts of held reports, per account and in all, and the accounts marked slow. */
export class DirectHolds {
  readonly #o: DirectHoldsOptions;
  readonly #now: () => number;
  readonly #byAccount = new Map<string, number>();
  /** Until when (clock ms) each slow account gets no holds. */
  readonly #slowUntil = new Map<string, number>();
  #held = 0;

  constructor(options: DirectHoldsOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Reports held now, over all accounts. */
  get held(): number {
    return this.#held;
  }

  /** Reports of `account` held now. */
  heldOf(account: string): number {
    return this.#byAccount.get(account) ?? 0;
  }

  /** Whether `account` is marked slow now. */
  isSlow(account: string): boolean {
    const until = this.#slowUntil.get(account);
    if (until === undefined) return false;
    if (this.#now() < until) return true;
    this.#slowUntil.delete(account);
    return false;
  }

  /** Counts a hold of a report of `account`, whose window is `window`; else says why not (nothing counted). */
  admit(account: string, window: number): HoldRefusal | undefined {
    if (this.isSlow(account)) return 'slow';
    if (this.heldOf(account) >= window) return 'account_cap';
    if (this.#held >= this.#o.maxHeld) return 'total_cap';
    this.#byAccount.set(account, this.heldOf(account) + 1);
    this.#held++;
    return undefined;
  }

  /** An admitted hold of `account` ended; a timeout marks the account slow. */
  end(account: string, how: HoldEnd): void {
    const n = this.heldOf(account) - 1;
    if (n > 0) this.#byAccount.set(account, n);
    else this.#byAccount.delete(account);
    this.#held = Math.max(0, this.#held - 1);
    if (how === 'timeout') this.#slowUntil.set(account, this.#now() + this.#o.slowMs);
  }

  /** Forgets the account's slow mark (its pump stopped: the next receivers start afresh). */
  forget(account: string): void {
    this.#slowUntil.delete(account);
  }
}
