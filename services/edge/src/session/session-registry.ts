/**
 * The bound sessions of this pod by account: for the per-account bind limit,
 * for unbinding an account's sessions when it is disabled or removed, for
 * knowing when an account's last session left, and for the session gauges
 * read at scrape time (metrics.ts).
 */
import type { BindType } from '@smsgw/accounts';
import type { SmppSession } from '@smsgw/smpp';

/** One bound session. */
export interface BoundSession {
  readonly session: SmppSession;
  readonly sessionId: string;
  readonly systemId: string;
  readonly bindType: BindType;
  /** The bind's interface_version: below 0x34 (SMPP 3.3) its deliver_sm go without TLVs (docs/smpp-reference.md §3). */
  readonly interfaceVersion: number;
}

/** Bound sessions by system_id. */
export class SessionRegistry {
  readonly #byAccount = new Map<string, Set<BoundSession>>();

  /** Bound sessions of an account on this pod. */
  count(systemId: string): number {
    return this.#byAccount.get(systemId)?.size ?? 0;
  }

  /** The bound sessions of an account (a copy: safe to unbind while iterating). */
  of(systemId: string): BoundSession[] {
    return [...(this.#byAccount.get(systemId) ?? [])];
  }

  /** The bound sessions by system_id, as they are now (a live view, not a copy: read it, do not keep it). */
  byAccount(): ReadonlyMap<string, ReadonlySet<BoundSession>> {
    return this.#byAccount;
  }

  /** Every bound session. */
  all(): BoundSession[] {
    return [...this.#byAccount.values()].flatMap((set) => [...set]);
  }

  /** Records a bound session. */
  add(entry: BoundSession): void {
    let set = this.#byAccount.get(entry.systemId);
    if (set === undefined) {
      set = new Set();
      this.#byAccount.set(entry.systemId, set);
    }
    set.add(entry);
  }

  /** Forgets a session; returns true when it was its account's last one. */
  remove(entry: BoundSession): boolean {
    const set = this.#byAccount.get(entry.systemId);
    if (set?.delete(entry) !== true) return false;
    if (set.size > 0) return false;
    this.#byAccount.delete(entry.systemId);
    return true;
  }
}
