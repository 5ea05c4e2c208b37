/**
 * How much more the dispatcher may send to each edge pod for each account:
 * the flow control of the EdgeDelivery stream, kept per (pod address,
 * account).
 *
 * The edge follows every result with a Credit: the free window of the
 * account's receiving sessions on that pod right then, and the highest
 * delivery_id it had received on the stream when it computed it. The reports
 * of the account sent with a higher id were still on their way and are not in
 * that figure; they count against it until a later credit covers them or they
 * settle. (A credit without that id, from an edge that predates it, counts
 * what was sent after the credit arrived, which over-counts the room by the
 * requests in transit.) Until a credit arrives (a new pod, or a presence
 * change that may have added sessions), the estimate is receivers × the
 * assumed per-session window, less what is in flight. A pod with no credit
 * and nothing in flight from here (a stalled client, or another dispatcher
 * replica holding the window) is sent one probe at a time, at most every
 * probeIntervalMs: its answer brings a fresh credit.
 *
 * Pure bookkeeping, no I/O: the pusher calls sent/settled/credit and asks free.
 */

/** Settings of a WindowLedger. */
export interface WindowLedgerOptions {
  /** Assumed free window of one receiving session before the pod says otherwise (the SMPP default is 10). */
  readonly sessionWindow: number;
  /** Least time between probes of a pod whose last credit was 0 (ms). */
  readonly probeIntervalMs: number;
  /** Monotonic clock in ms (default performance.now). */
  readonly now?: () => number;
}

interface Entry {
  /** Last credit, or undefined while none is known. */
  credit: number | undefined;
  /** delivery_ids sent and not covered by the last credit nor settled, in sending order. */
  unseen: bigint[];
  /** Attempts sent and not settled. */
  inFlight: number;
  /** When the last probe was sent (clock ms). */
  probedAt: number;
}

/** Per (pod address, account) window bookkeeping. */
export class WindowLedger {
  readonly #o: WindowLedgerOptions;
  readonly #now: () => number;
  /** Entries by account, then pod address. */
  readonly #entries = new Map<string, Map<string, Entry>>();

  constructor(options: WindowLedgerOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => performance.now());
  }

  /** How many more reports of `account` may go to `address` now, given the pod holds `receivers` of its sessions. */
  free(address: string, account: string, receivers: number): number {
    const e = this.#entries.get(account)?.get(address);
    if (e === undefined) return receivers * this.#o.sessionWindow;
    const free =
      e.credit === undefined ? receivers * this.#o.sessionWindow - e.inFlight : e.credit - e.unseen.length;
    if (free > 0) return free;
    return e.inFlight === 0 && this.#now() - e.probedAt >= this.#o.probeIntervalMs ? 1 : 0;
  }

  /** Attempts in flight to `address` for `account`. */
  inFlight(address: string, account: string): number {
    return this.#entries.get(account)?.get(address)?.inFlight ?? 0;
  }

  /** An attempt was sent as `deliveryId` (ids rise in sending order on a link). */
  sent(address: string, account: string, deliveryId: bigint): void {
    const e = this.#entry(address, account);
    if (e.credit !== undefined && e.credit - e.unseen.length <= 0) e.probedAt = this.#now();
    e.unseen.push(deliveryId);
    e.inFlight++;
  }

  /** The attempt sent as `deliveryId` settled (answered or failed): it holds no window any more. */
  settled(address: string, account: string, deliveryId: bigint): void {
    const e = this.#entries.get(account)?.get(address);
    if (e === undefined) return;
    if (e.inFlight > 0) e.inFlight--;
    const i = e.unseen.indexOf(deliveryId);
    if (i >= 0) e.unseen.splice(i, 1);
  }

  /**
   * The pod announced the account's free window, having received every request
   * up to lastDeliveryId (0: unknown, an older edge; what was sent before is then taken as counted).
   */
  credit(address: string, account: string, freeWindow: number, lastDeliveryId = 0n): void {
    const e = this.#entry(address, account);
    e.credit = freeWindow;
    if (lastDeliveryId === 0n) {
      e.unseen.length = 0;
      return;
    }
    let covered = 0;
    while (covered < e.unseen.length && (e.unseen[covered] ?? 0n) <= lastDeliveryId) covered++;
    if (covered > 0) e.unseen.splice(0, covered);
  }

  /** Forgets the credit (sessions came or went): back to the estimate until the next credit. */
  reset(address: string, account: string): void {
    const e = this.#entries.get(account)?.get(address);
    if (e === undefined) return;
    // What is still in transit stays counted: the next credit says which of it the pod has seen.
    e.credit = undefined;
  }

  /** Keeps only the given pods' entries of an account (the others no longer hold it; what is in flight stays counted). */
  retain(account: string, addresses: ReadonlySet<string>): void {
    const pods = this.#entries.get(account);
    if (pods === undefined) return;
    for (const [address, e] of pods) {
      if (!addresses.has(address) && e.inFlight === 0) pods.delete(address);
    }
    if (pods.size === 0) this.#entries.delete(account);
  }

  #entry(address: string, account: string): Entry {
    let pods = this.#entries.get(account);
    if (pods === undefined) {
      pods = new Map();
      this.#entries.set(account, pods);
    }
    let e = pods.get(address);
    if (e === undefined) {
      e = { credit: undefined, unseen: [], inFlight: 0, probedAt: -Infinity };
      pods.set(address, e);
    }
    return e;
  }
}

/** A pod that could take the next report of an account. */
export interface PodCandidate {
  /** The pod's name. */
  readonly pod: string;
  /** Its EdgeDelivery address. */
  readonly address: string;
  /** Free window (WindowLedger.free). */
  readonly free: number;
  /** Attempts in flight to it for the account. */
  readonly inFlight: number;
}

/**
 * The pod for the next report: not excluded, with free window, the most free
 * first, then the fewest in flight (equal pods take turns as their windows
 * fill, which spreads the load).
 */
export function pickPod(
  candidates: readonly PodCandidate[],
  exclude: ReadonlySet<string> = new Set(),
): PodCandidate | undefined {
  let best: PodCandidate | undefined;
  for (const c of candidates) {
    if (c.free <= 0 || exclude.has(c.address)) continue;
    if (best === undefined || c.free > best.free || (c.free === best.free && c.inFlight < best.inFlight)) {
      best = c;
    }
  }
  return best;
}
