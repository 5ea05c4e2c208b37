/**
 * An account's bound sessions across the edge pods (README "Limits across
 * pods"): each pod writes its own count per account to the binds bucket
 * (`<account>.<pod>`: sessions, and submitters = transmitters + transceivers)
 * on every change and every third of the bucket TTL, deletes it with its last
 * session, and follows everybody else's with a KV watch. From that, without
 * any NATS round trip:
 *
 * - maxBinds holds for the account as a whole: a bind counts the sessions of
 *   every pod (a bind racing another on a different pod within the few ms a
 *   write takes to arrive may still pass; see the README);
 * - maxSubmitsPerSecond is shared: this pod's token bucket refills at the
 *   account's rate × its submitters / the submitters of all pods, so the pods
 *   together allow the account's rate, rebalanced as sessions move.
 *
 * A pod that died cannot delete its entries, and nats-server 2.9 expires
 * them from the bucket without telling watchers, so an entry not refreshed
 * for one TTL is dropped from the view (as the dispatcher's presence view does).
 * Without a bucket (unit tests) only this pod's sessions count.
 */
import { KvWatchInclude, type KV, type KvWatchEntry } from '@nats-io/kv';
import type { QueuedIterator } from '@nats-io/transport-node';
import type { BindType } from '@smsgw/accounts';
import { TopologyError, bindsKey, decodeBindsValue, encodeBindsValue, parseBindsKey } from '@smsgw/nats';
import type { Logger } from '@smsgw/runtime';

/** Sessions of an account, and how many of them may submit. */
interface Counts {
  sessions: number;
  submitters: number;
}

/** Another pod's counts, with when they were last written (monotonic ms). */
interface RemoteCounts extends Counts {
  readonly seenAt: number;
}

/** Options of ClusterBinds. */
export interface ClusterBindsOptions {
  /** This pod's name (the key's second token). */
  readonly pod: string;
  readonly logger: Logger;
  /** The binds bucket; without it only this pod's sessions count. */
  readonly kv?: KV;
  /** The bucket's TTL (ms): entries are re-put every third of it, and others' dropped when older. */
  readonly ttlMs?: number;
  /** Monotonic clock in ms (default performance.now). */
  readonly now?: () => number;
}

const canSubmit = (bindType: BindType): boolean => bindType !== 'receiver';

/** This pod's and the other pods' bound sessions, by account. */
export class ClusterBinds {
  readonly #o: ClusterBindsOptions;
  readonly #now: () => number;
  readonly #ttlMs: number;
  readonly #local = new Map<string, Counts>();
  readonly #remote = new Map<string, Map<string, RemoteCounts>>();
  /** The other pods' counts summed, by account (kept so that a submit reads one entry). */
  readonly #remoteTotals = new Map<string, Counts>();
  /** Per-key chain of KV writes, so that a put and the delete after it reach the server in order. */
  readonly #writes = new Map<string, Promise<void>>();
  #watcher: QueuedIterator<KvWatchEntry> | undefined;
  #done: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #withdrawn = false;

  constructor(options: ClusterBindsOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => performance.now());
    this.#ttlMs = options.ttlMs ?? 30_000;
  }

  /** Follows the other pods' entries and starts refreshing this pod's; resolves once the watch is open. */
  async start(): Promise<void> {
    const { kv } = this.#o;
    if (kv === undefined || this.#done !== undefined) return;
    const watcher = await kv.watch({ include: KvWatchInclude.LastValue });
    this.#watcher = watcher;
    this.#done = this.#follow(watcher);
    this.#timer = setInterval(
      () => {
        this.#refresh();
      },
      Math.max(50, Math.floor(this.#ttlMs / 3)),
    );
    this.#timer.unref();
  }

  /** A session of `account` bound here. */
  bound(account: string, bindType: BindType): void {
    const counts = this.#local.get(account) ?? { sessions: 0, submitters: 0 };
    counts.sessions += 1;
    if (canSubmit(bindType)) counts.submitters += 1;
    this.#local.set(account, counts);
    this.#write(account);
  }

  /** A session of `account` bound here has gone. */
  unbound(account: string, bindType: BindType): void {
    const counts = this.#local.get(account);
    if (counts === undefined) return;
    counts.sessions -= 1;
    if (canSubmit(bindType)) counts.submitters -= 1;
    if (counts.sessions <= 0) this.#local.delete(account);
    this.#write(account);
  }

  /** The account's bound sessions on every pod (this one exactly, the others as last heard). */
  sessionsOf(account: string): number {
    return (this.#local.get(account)?.sessions ?? 0) + (this.#remoteTotals.get(account)?.sessions ?? 0);
  }

  /** This pod's share of `perSecond`: in proportion to its submitting sessions among all pods'. */
  rateShare(account: string, perSecond: number): number {
    const here = this.#local.get(account)?.submitters ?? 0;
    if (here === 0) return perSecond;
    const elsewhere = this.#remoteTotals.get(account)?.submitters ?? 0;
    return (perSecond * here) / (here + elsewhere);
  }

  /** Drops other pods' entries not refreshed for one TTL (run on each refresh; public for tests). */
  sweep(): void {
    const deadline = this.#now() - this.#ttlMs;
    for (const [account, pods] of this.#remote) {
      for (const [pod, counts] of pods) {
        if (counts.seenAt >= deadline) continue;
        this.#o.logger.info({ account, pod }, 'binds entry expired (not refreshed)');
        this.#setRemote(account, pod, undefined);
      }
    }
  }

  /** Shutdown: deletes this pod's entries, stops refreshing and watching. */
  async close(): Promise<void> {
    if (this.#withdrawn) return;
    this.#withdrawn = true;
    clearInterval(this.#timer);
    for (const account of this.#local.keys()) this.#write(account, true);
    while (this.#writes.size > 0) await Promise.all([...this.#writes.values()]);
    this.#watcher?.stop();
    await this.#done;
  }

  /** Resolves when every KV write started so far has finished (tests). */
  async settled(): Promise<void> {
    while (this.#writes.size > 0) await Promise.all([...this.#writes.values()]);
  }

  #refresh(): void {
    this.sweep();
    if (this.#withdrawn) return;
    for (const account of this.#local.keys()) this.#write(account);
  }

  #write(account: string, remove = false): void {
    const { kv, pod, logger } = this.#o;
    if (kv === undefined || (this.#withdrawn && !remove)) return;
    const key = bindsKey(account, pod);
    const previous = this.#writes.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      // Written when its turn comes, with the counts of then: a burst of binds makes one put each, all current.
      const counts = remove ? undefined : this.#local.get(account);
      try {
        if (counts === undefined) await kv.delete(key);
        else {
          await kv.put(key, encodeBindsValue({ ...counts, updatedAt: new Date().toISOString() }));
        }
      } catch (error) {
        // The TTL bounds a missed delete; the next refresh repairs a missed put.
        logger.warn({ err: error, account }, 'binds write failed');
      }
    });
    this.#writes.set(key, next);
    void next.then(() => {
      if (this.#writes.get(key) === next) this.#writes.delete(key);
    });
  }

  async #follow(watcher: QueuedIterator<KvWatchEntry>): Promise<void> {
    try {
      for await (const entry of watcher) this.#apply(entry);
    } catch (error) {
      this.#o.logger.error({ err: error }, 'binds watch failed: other pods are no longer counted');
    }
  }

  #apply(entry: KvWatchEntry): void {
    try {
      const { account, pod } = parseBindsKey(entry.key);
      if (pod === this.#o.pod) return;
      if (entry.operation !== 'PUT') {
        this.#setRemote(account, pod, undefined);
        return;
      }
      const value = decodeBindsValue(entry.key, entry.value);
      // Aged by how long ago the server stored it (bounded by the TTL, against clock skew).
      const age = Math.min(Math.max(0, Date.now() - entry.created.getTime()), this.#ttlMs);
      this.#setRemote(account, pod, { ...value, seenAt: this.#now() - age });
    } catch (error) {
      if (!(error instanceof TopologyError)) throw error;
      this.#o.logger.warn({ err: error, key: entry.key }, 'unreadable binds entry ignored');
    }
  }

  #setRemote(account: string, pod: string, counts: RemoteCounts | undefined): void {
    let pods = this.#remote.get(account);
    if (counts === undefined) pods?.delete(pod);
    else {
      if (pods === undefined) {
        pods = new Map();
        this.#remote.set(account, pods);
      }
      pods.set(pod, { sessions: counts.sessions, submitters: counts.submitters, seenAt: counts.seenAt });
    }
    if (pods === undefined || pods.size === 0) {
      this.#remote.delete(account);
      this.#remoteTotals.delete(account);
      return;
    }
    const totals = { sessions: 0, submitters: 0 };
    for (const c of pods.values()) {
      totals.sessions += c.sessions;
      totals.submitters += c.submitters;
    }
    this.#remoteTotals.set(account, totals);
  }
}
