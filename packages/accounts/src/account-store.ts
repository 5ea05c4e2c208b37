/**
 * Reading and writing accounts in the accounts KV bucket (created by
 * @smsgw/nats's ensureTopology; history kept for audit and rollback).
 *
 * Every write is a compare-and-set on the key's last revision (JetStream's
 * expected-last-subject-sequence): a write computed from a stale read fails
 * with "wrong last sequence", and the store reads again and recomputes, up
 * to maxAttempts times. So two admins patching different fields of one
 * account at once both land, and create() cannot overwrite an account that
 * appeared meanwhile. Services do not read through the store on their hot
 * path; they keep an AccountCache.
 */
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { Kvm, type KV, type KvEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { BucketName } from '@smsgw/nats';
import { parseAccount, SystemIdSchema, type Account, type AccountInput } from './account.ts';
import { accountKey, decodeAccount, encodeAccount } from './account-codec.ts';
import {
  AccountConflictError,
  AccountDecodeError,
  AccountError,
  AccountExistsError,
  AccountNotFoundError,
} from './errors.ts';

/** Fields update() may change: everything but the identity and the timestamps the store keeps. */
export type AccountPatch = Partial<Omit<AccountInput, 'systemId' | 'createdAt' | 'updatedAt'>>;

/** A patch, or a function of the current account giving one (called again on every retry, so it must not assume it runs once). */
export type AccountUpdate = AccountPatch | ((current: Account) => AccountPatch | Promise<AccountPatch>);

/** Options of an AccountStore. */
export interface AccountStoreOptions {
  /** Write attempts before a write that keeps conflicting fails with AccountConflictError (default 10). */
  readonly maxAttempts?: number;
  /** The clock for createdAt / updatedAt (default the system clock). */
  readonly now?: () => Date;
}

/** An account with the KV revision it was read at. */
export interface StoredAccount {
  readonly account: Account;
  /** The KV revision (stream sequence) of the record. */
  readonly revision: number;
}

/** Default of AccountStoreOptions.maxAttempts. */
export const DEFAULT_MAX_WRITE_ATTEMPTS = 10;

/** The raw state of a key: its last entry if it holds a value, and the revision to compare-and-set against (0: never written). */
interface KeyState {
  readonly entry: KvEntry | undefined;
  readonly revision: number;
}

/** Whether an error is JetStream refusing a write because the key's last revision was not the one expected. */
export function isWrongLastSequence(err: unknown): boolean {
  return (
    err instanceof JetStreamApiError &&
    (err.code === JetStreamApiCodes.StreamWrongLastSequence ||
      err.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

/** CRUD on the accounts bucket, with optimistic concurrency. */
export class AccountStore {
  /** The bucket. */
  readonly kv: KV;
  readonly #maxAttempts: number;
  readonly #now: () => Date;

  /** Wraps an open accounts bucket, e.g. `(await ensureTopology(nc)).kv.accounts`. */
  constructor(kv: KV, options: AccountStoreOptions = {}) {
    const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_WRITE_ATTEMPTS;
    if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) {
      throw new AccountError(`maxAttempts must be a positive integer, not ${maxAttempts}`);
    }
    this.kv = kv;
    this.#maxAttempts = maxAttempts;
    this.#now = options.now ?? (() => new Date());
  }

  /** Opens the accounts bucket (BucketName.accounts) on a connection; throws AccountError when it does not exist (ensureTopology makes it). */
  static async open(nc: NatsConnection, options: AccountStoreOptions = {}): Promise<AccountStore> {
    const kv = await new Kvm(nc).open(BucketName.accounts, { bindOnly: true });
    try {
      // bindOnly does not look at the server; status() does.
      await kv.status();
    } catch (err) {
      throw new AccountError(`the ${BucketName.accounts} bucket cannot be opened (was ensureTopology run?)`, {
        cause: err,
      });
    }
    return new AccountStore(kv, options);
  }

  /** The account with this system_id, or undefined; throws AccountDecodeError for an unreadable record. */
  async get(systemId: string): Promise<Account | undefined> {
    return (await this.getStored(systemId))?.account;
  }

  /** The account with this system_id and its revision, or undefined. */
  async getStored(systemId: string): Promise<StoredAccount | undefined> {
    if (!SystemIdSchema.safeParse(systemId).success) return undefined;
    return this.#getByKey(accountKey(systemId));
  }

  /** Every account, by system_id; throws AccountDecodeError if any record is unreadable (fix or remove it). */
  async list(): Promise<Account[]> {
    const keys: string[] = [];
    for await (const key of await this.kv.keys()) keys.push(key);
    const stored = await Promise.all(keys.map((key) => this.#getByKey(key)));
    const accounts = stored.map((s) => s?.account);
    return accounts
      .filter((a): a is Account => a !== undefined)
      .sort((a, b) => (a.systemId < b.systemId ? -1 : a.systemId > b.systemId ? 1 : 0));
  }

  /** Stores a new account; throws AccountExistsError if the system_id is taken, InvalidAccountError if invalid. */
  async create(input: AccountInput): Promise<Account> {
    const { systemId } = parseAccount(input);
    return this.#write(systemId, (state) => {
      if (state.entry !== undefined) throw new AccountExistsError(systemId);
      const now = this.#timestamp();
      return parseAccount({ ...input, createdAt: input.createdAt ?? now, updatedAt: now });
    });
  }

  /**
   * Creates or replaces an account. Fields left out take their defaults (it
   * replaces, it does not merge: use update() for that). createdAt is kept
   * from the record it replaces (taken from the input, or now, for a new
   * one); updatedAt is now. Replacing a record that cannot be read is
   * allowed: that is how one repairs it.
   */
  async put(input: AccountInput): Promise<Account> {
    const { systemId } = parseAccount(input);
    const key = accountKey(systemId);
    return this.#write(systemId, (state) => {
      const now = this.#timestamp();
      let createdAt = input.createdAt ?? now;
      if (state.entry !== undefined) {
        try {
          createdAt = decodeAccount(key, state.entry.value).createdAt;
        } catch (err) {
          if (!(err instanceof AccountDecodeError)) throw err;
        }
      }
      return parseAccount({ ...input, createdAt, updatedAt: now });
    });
  }

  /**
   * Changes some fields of an account, keeping the others; systemId and
   * createdAt never change, updatedAt becomes now. `update` is a patch or a
   * function from the current account to one (it may be async, e.g. to hash
   * a new password). Throws AccountNotFoundError, InvalidAccountError for a
   * result that is not valid, AccountConflictError when other writers kept
   * winning.
   */
  async update(systemId: string, update: AccountUpdate): Promise<Account> {
    if (!SystemIdSchema.safeParse(systemId).success) throw new AccountNotFoundError(systemId);
    const key = accountKey(systemId);
    return this.#write(systemId, async (state) => {
      if (state.entry === undefined) throw new AccountNotFoundError(systemId);
      const current = decodeAccount(key, state.entry.value);
      const patch = typeof update === 'function' ? await update(current) : update;
      return parseAccount({
        ...current,
        ...patch,
        systemId: current.systemId,
        createdAt: current.createdAt,
        updatedAt: this.#timestamp(),
      });
    });
  }

  /**
   * Deletes an account (a soft delete: the bucket's history keeps earlier
   * revisions for audit until newer ones push them out). Resolves false if
   * there was none. Watching caches drop it and report a 'delete' change.
   */
  async remove(systemId: string): Promise<boolean> {
    if (!SystemIdSchema.safeParse(systemId).success) return false;
    const key = accountKey(systemId);
    for (let attempt = 1; ; attempt++) {
      const { entry, revision } = await this.#state(key);
      if (entry === undefined) return false;
      try {
        await this.kv.delete(key, { previousSeq: revision });
        return true;
      } catch (err) {
        this.#retryOrThrow(err, systemId, attempt);
      }
    }
  }

  async #getByKey(key: string): Promise<StoredAccount | undefined> {
    const { entry } = await this.#state(key);
    return entry === undefined
      ? undefined
      : { account: decodeAccount(key, entry.value), revision: entry.revision };
  }

  #timestamp(): string {
    return this.#now().toISOString();
  }

  /** The last entry of a key (undefined when never written or deleted) and the revision to write against. */
  async #state(key: string): Promise<KeyState> {
    const entry = await this.kv.get(key);
    if (entry === null) return { entry: undefined, revision: 0 };
    // A deleted key's last entry is its delete marker: writes compare against it.
    return { entry: entry.operation === 'PUT' ? entry : undefined, revision: entry.revision };
  }

  /** Reads the key, computes the new account from what is there, and writes it if nothing changed meanwhile; repeats on conflict. */
  async #write(systemId: string, next: (state: KeyState) => Account | Promise<Account>): Promise<Account> {
    const key = accountKey(systemId);
    for (let attempt = 1; ; attempt++) {
      const state = await this.#state(key);
      const account = await next(state);
      try {
        await this.kv.put(key, encodeAccount(account), { previousSeq: state.revision });
        return account;
      } catch (err) {
        this.#retryOrThrow(err, systemId, attempt);
      }
    }
  }

  /** Returns when a failed write may be tried again; throws otherwise. */
  #retryOrThrow(err: unknown, systemId: string, attempt: number): void {
    if (!isWrongLastSequence(err)) throw err;
    if (attempt >= this.#maxAttempts) throw new AccountConflictError(systemId, attempt, { cause: err });
  }
}
