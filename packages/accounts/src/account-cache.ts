/**
 * An in-memory copy of the accounts bucket that follows every change, so that
 * services read accounts synchronously on their hot paths (a bind, every
 * submit) and see edits without a restart.
 *
 * start() opens a KV watch (an ordered push consumer that delivers the last
 * value of every key, then every change as it happens, and that the client
 * recreates after a reconnect or missed heartbeats) and resolves once the
 * cache reflects the bucket as it was when start() was called: when the entry
 * with the stream's last sequence, read after the watch was opened, has been
 * applied (or the bucket was empty, or the server says nothing is pending).
 *
 * A record that cannot be read (bad JSON, a schema version from a newer smsgw,
 * an invalid account) does not remove the account: the last good version stays
 * in use, the problem is listed in invalidRecords and reported as an 'invalid'
 * change. Locking a customer out because of a broken write would be worse than
 * serving the previous, valid rules; the next valid write or a delete clears it.
 */
import { KvWatchInclude, type KvWatchEntry, type RoKV } from '@nats-io/kv';
import type { QueuedIterator } from '@nats-io/transport-node';
import type { Account } from './account.ts';
import { decodeAccount, systemIdOfKey } from './account-codec.ts';
import { AccountDecodeError, AccountError } from './errors.ts';

/** One change the cache applied after start() resolved. */
export type AccountChange =
  | {
      /** An account was created or changed. */
      readonly type: 'put';
      readonly systemId: string;
      readonly account: Account;
      /** The version it replaced, if any. */
      readonly previous: Account | undefined;
      readonly revision: number;
    }
  | {
      /** An account was removed. */
      readonly type: 'delete';
      readonly systemId: string;
      /** The version removed, if the cache had one. */
      readonly previous: Account | undefined;
      readonly revision: number;
    }
  | {
      /** A record could not be read; the account's previous version (if any) stays in use. */
      readonly type: 'invalid';
      readonly key: string;
      readonly error: AccountDecodeError;
      readonly revision: number;
    };

/** Receives changes; must not throw (an error it throws is rethrown asynchronously, as an uncaught exception). */
export type AccountChangeListener = (change: AccountChange) => void;

/** Options of an AccountCache. */
export interface AccountCacheOptions {
  /** How long start() waits for the initial load before it fails (default 30 s). */
  readonly startTimeoutMs?: number;
}

/** Default of AccountCacheOptions.startTimeoutMs. */
export const DEFAULT_CACHE_START_TIMEOUT_MS = 30_000;

/** A watching, synchronously readable copy of the accounts bucket. */
export class AccountCache {
  readonly #kv: RoKV;
  readonly #startTimeoutMs: number;
  readonly #accounts = new Map<string, Account>();
  readonly #invalid = new Map<string, AccountDecodeError>();
  readonly #listeners = new Set<AccountChangeListener>();
  #watcher: QueuedIterator<KvWatchEntry> | undefined;
  #done: Promise<Error | undefined> | undefined;
  #watching = false;
  #ready = false;
  #onReady: (() => void) | undefined;
  /** Sequence that, once applied, means the initial load is complete; undefined until known. */
  #readyRevision: number | undefined;
  #revision = 0;

  /** A cache over an open accounts bucket (see AccountStore.kv, or ensureTopology's kv.accounts); call start(). */
  constructor(kv: RoKV, options: AccountCacheOptions = {}) {
    this.#kv = kv;
    this.#startTimeoutMs = options.startTimeoutMs ?? DEFAULT_CACHE_START_TIMEOUT_MS;
  }

  /**
   * Loads every account and starts following changes; resolves once loaded.
   * Attach listeners before calling it to miss no change after the load.
   * Throws AccountError when the load does not finish within startTimeoutMs or
   * the watch ends first; may be called once.
   */
  async start(): Promise<void> {
    if (this.#done !== undefined) throw new AccountError('AccountCache.start() may be called once');
    const ready = new Promise<void>((resolve) => {
      this.#onReady = resolve;
    });
    const watcher = await this.#kv.watch({ include: KvWatchInclude.LastValue });
    this.#watcher = watcher;
    this.#watching = true;
    const done = this.#follow(watcher);
    this.#done = done;
    let timer: NodeJS.Timeout | undefined;
    try {
      // Read after the watch exists: its last sequence is then sure to be delivered.
      const { messages, last_seq: lastSeq } = (await this.#kv.status()).streamInfo.state;
      this.#readyRevision = lastSeq;
      if (messages === 0 || this.#revision >= lastSeq) this.#setReady();
      const timeout = new Promise<Error>((resolve) => {
        timer = setTimeout(() => {
          resolve(new AccountError(`accounts were not loaded within ${this.#startTimeoutMs} ms`));
        }, this.#startTimeoutMs);
      });
      const ended = done.then(
        (err) => new AccountError('the accounts watch ended before the accounts were loaded', { cause: err }),
      );
      const failure = await Promise.race([ready.then(() => undefined), ended, timeout]);
      if (failure !== undefined) throw failure;
    } catch (err) {
      watcher.stop();
      await done;
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The account with this system_id, or undefined. Synchronous, a Map lookup. */
  get(systemId: string): Account | undefined {
    return this.#accounts.get(systemId);
  }

  /** How many accounts the cache holds. */
  get size(): number {
    return this.#accounts.size;
  }

  /** Every account held, in no particular order. */
  accounts(): IterableIterator<Account> {
    return this.#accounts.values();
  }

  /** Records that could not be read, by KV key, with why; an entry goes when a valid write or a delete replaces it. */
  get invalidRecords(): ReadonlyMap<string, AccountDecodeError> {
    return this.#invalid;
  }

  /** The highest KV revision applied so far. */
  get revision(): number {
    return this.#revision;
  }

  /** Whether the initial load is complete. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Whether changes are still being followed (false before start() and after the watch ended). */
  get watching(): boolean {
    return this.#watching;
  }

  /** Calls `listener` with every change applied after start() resolved; returns a function that unsubscribes it. */
  onChange(listener: AccountChangeListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
   * Resolves when the cache stops following changes: with undefined after
   * close() or when the connection was closed, with the error if the watch
   * failed. Until then, the cache is current. (Like NatsConnection.closed().)
   */
  closed(): Promise<Error | undefined> {
    return this.#done ?? Promise.resolve(undefined);
  }

  /** Stops following changes; the accounts already held stay readable. */
  async close(): Promise<void> {
    this.#watcher?.stop();
    await this.#done;
  }

  #setReady(): void {
    if (this.#ready) return;
    this.#ready = true;
    this.#onReady?.();
  }

  /** Applies the watch's entries until it ends; resolves with the error that ended it, if any. */
  async #follow(watcher: QueuedIterator<KvWatchEntry>): Promise<Error | undefined> {
    try {
      for await (const entry of watcher) {
        this.#apply(entry);
        // pending 0: nothing more to deliver, whatever was written.
        if (
          entry.delta === 0 ||
          (this.#readyRevision !== undefined && entry.revision >= this.#readyRevision)
        ) {
          this.#setReady();
        }
      }
      return undefined;
    } catch (err) {
      return err instanceof Error ? err : new AccountError('the accounts watch failed', { cause: err });
    } finally {
      this.#watching = false;
    }
  }

  #apply(entry: KvWatchEntry): void {
    const { key, revision } = entry;
    if (revision > this.#revision) this.#revision = revision;
    // DEL or PURGE: whatever was there, readable or not, is gone.
    if (entry.operation !== 'PUT') {
      this.#invalid.delete(key);
      this.#remove(key, revision);
      return;
    }
    let systemId: string;
    let account: Account;
    try {
      systemId = systemIdOfKey(key);
      account = decodeAccount(key, entry.value);
    } catch (err) {
      if (!(err instanceof AccountDecodeError)) throw err;
      this.#invalid.set(key, err);
      this.#emit({ type: 'invalid', key, error: err, revision });
      return;
    }
    this.#invalid.delete(key);
    const previous = this.#accounts.get(systemId);
    this.#accounts.set(systemId, account);
    this.#emit({ type: 'put', systemId, account, previous, revision });
  }

  #remove(key: string, revision: number): void {
    let systemId: string;
    try {
      systemId = systemIdOfKey(key);
    } catch (err) {
      // A key no system_id encodes to never held an account: nothing to remove.
      if (err instanceof AccountDecodeError) return;
      throw err;
    }
    const previous = this.#accounts.get(systemId);
    this.#accounts.delete(systemId);
    this.#emit({ type: 'delete', systemId, previous, revision });
  }

  #emit(change: AccountChange): void {
    // The initial load is state, not change: listeners hear what happens after it.
    if (!this.#ready) return;
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (err) {
        // The cache must go on applying changes, and the error must not vanish.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
