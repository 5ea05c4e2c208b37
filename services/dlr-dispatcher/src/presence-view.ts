/**
 * The dispatcher's view of receiver presence: which edge pods hold receivers
 * or transceivers of which account, and where their EdgeDelivery servers are.
 *
 * It follows the presence bucket with a KV watch (the last value of every key,
 * then each change; the client recreates the watch after a reconnect). A key
 * deleted on unbind disappears at once. A pod that died cannot delete its keys,
 * and on nats-server 2.9 the bucket's max_age expires them without telling
 * watchers, so the view expires an entry itself when its owner has not
 * refreshed it (the edge re-puts every third of the TTL) for one TTL.
 *
 * Listeners hear the account whose pods changed; they read pods() again.
 */
import { KvWatchInclude, type KvWatchEntry, type RoKV } from '@nats-io/kv';
import type { QueuedIterator } from '@nats-io/transport-node';
import { TopologyError, decodePresenceEntry, parsePresenceKey } from '@smsgw/nats';
import type { Logger } from '@smsgw/runtime';

/** One edge pod holding receivers of an account. */
export interface PodPresence {
  /** The pod's name. */
  readonly pod: string;
  /** host:port of its EdgeDelivery server. */
  readonly grpcAddress: string;
  /** Receiver and transceiver sessions of the account bound there. */
  readonly receivers: number;
  /** When the entry was last written, on this process's monotonic clock (ms). */
  readonly seenAt: number;
}

/** Hears the account whose set of pods changed. Must not throw. */
export type PresenceListener = (account: string) => void;

/** Options of a PresenceView. */
export interface PresenceViewOptions {
  /** The presence bucket. */
  readonly kv: RoKV;
  /** The bucket's TTL (ms): an entry not refreshed for this long is taken as gone. */
  readonly ttlMs: number;
  readonly logger: Logger;
  /** How long start() waits for the current entries before it resolves anyway (default 5 s). */
  readonly loadTimeoutMs?: number;
  /** Monotonic clock in ms (default performance.now); tests may drive it. */
  readonly now?: () => number;
}

/** A live, expiring copy of the presence bucket, by account. */
export class PresenceView {
  readonly #o: PresenceViewOptions;
  readonly #now: () => number;
  readonly #byAccount = new Map<string, Map<string, PodPresence>>();
  readonly #listeners = new Set<PresenceListener>();
  #watcher: QueuedIterator<KvWatchEntry> | undefined;
  #done: Promise<Error | undefined> | undefined;
  #sweeper: NodeJS.Timeout | undefined;
  #onLoaded: (() => void) | undefined;

  constructor(options: PresenceViewOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Opens the watch and resolves once the current entries are applied (or loadTimeoutMs passed). Call once. */
  async start(): Promise<void> {
    if (this.#done !== undefined) throw new TopologyError('PresenceView.start() may be called once');
    const loaded = new Promise<void>((resolve) => {
      this.#onLoaded = resolve;
    });
    const watcher = await this.#o.kv.watch({ include: KvWatchInclude.LastValue });
    this.#watcher = watcher;
    this.#done = this.#follow(watcher);
    const { messages } = (await this.#o.kv.status()).streamInfo.state;
    if (messages === 0) this.#loaded();
    const sweepEvery = Math.max(50, Math.floor(this.#o.ttlMs / 4));
    this.#sweeper = setInterval(() => {
      this.sweep();
    }, sweepEvery);
    this.#sweeper.unref();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#o.loadTimeoutMs ?? 5_000);
    });
    await Promise.race([loaded, timeout, this.#done]);
    clearTimeout(timer);
  }

  /** The live pods holding receivers of `account`, most receivers first. */
  pods(account: string): PodPresence[] {
    const pods = this.#byAccount.get(account);
    if (pods === undefined) return [];
    return [...pods.values()].sort((a, b) => b.receivers - a.receivers);
  }

  /** Accounts with at least one live pod. */
  accounts(): string[] {
    return [...this.#byAccount.keys()];
  }

  /** Calls `listener` with each account whose pods changed; returns the unsubscribe function. */
  onChange(listener: PresenceListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Resolves when the watch ends: undefined after close() or a closed connection, the error if it failed. */
  closed(): Promise<Error | undefined> {
    return this.#done ?? Promise.resolve(undefined);
  }

  /** Stops watching and expiring. */
  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#watcher?.stop();
    await this.#done;
  }

  /** Drops entries whose owner stopped refreshing them (run on a timer; public for tests). */
  sweep(): void {
    const deadline = this.#now() - this.#o.ttlMs;
    for (const [account, pods] of this.#byAccount) {
      for (const [pod, presence] of pods) {
        if (presence.seenAt >= deadline) continue;
        this.#o.logger.info({ account, pod }, 'presence expired (not refreshed)');
        this.#delete(account, pod);
      }
    }
  }

  #loaded(): void {
    this.#onLoaded?.();
    this.#onLoaded = undefined;
  }

  async #follow(watcher: QueuedIterator<KvWatchEntry>): Promise<Error | undefined> {
    try {
      for await (const entry of watcher) {
        this.#apply(entry);
        if (entry.delta === 0) this.#loaded();
      }
      return undefined;
    } catch (error) {
      return error instanceof Error
        ? error
        : new TopologyError('the presence watch failed', { cause: error });
    }
  }

  #apply(entry: KvWatchEntry): void {
    try {
      if (entry.operation !== 'PUT') {
        const { account, pod } = parsePresenceKey(entry.key);
        this.#delete(account, pod);
        return;
      }
      const decoded = decodePresenceEntry(entry.key, entry.value);
      if (decoded === undefined) return;
      // Age the entry by how long ago the server stored it (bounded by the TTL, against clock skew).
      const age = Math.min(Math.max(0, Date.now() - entry.created.getTime()), this.#o.ttlMs);
      const presence: PodPresence = {
        pod: decoded.pod,
        grpcAddress: decoded.grpcAddress,
        receivers: decoded.receivers,
        seenAt: this.#now() - age,
      };
      let pods = this.#byAccount.get(decoded.account);
      if (pods === undefined) {
        pods = new Map();
        this.#byAccount.set(decoded.account, pods);
      }
      const previous = pods.get(decoded.pod);
      pods.set(decoded.pod, presence);
      // A refresh that changes nothing is not news.
      if (previous?.grpcAddress !== presence.grpcAddress || previous.receivers !== presence.receivers) {
        this.#emit(decoded.account);
      }
    } catch (error) {
      if (!(error instanceof TopologyError)) throw error;
      this.#o.logger.warn({ err: error, key: entry.key }, 'unreadable presence entry ignored');
    }
  }

  #delete(account: string, pod: string): void {
    const pods = this.#byAccount.get(account);
    if (pods?.delete(pod) !== true) return;
    if (pods.size === 0) this.#byAccount.delete(account);
    this.#emit(account);
  }

  #emit(account: string): void {
    for (const listener of this.#listeners) {
      try {
        listener(account);
      } catch (error) {
        this.#o.logger.error({ err: error, account }, 'presence listener failed');
      }
    }
  }
}
