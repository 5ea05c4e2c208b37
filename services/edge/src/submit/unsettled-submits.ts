/**
 * Submits answered ESME_RMSGQFUL after a publish whose outcome is unknown
 * (no PubAck in time, a lost connection): JetStream may have stored them all
 * the same, e.g. a publish nats.js kept in its buffer while NATS was away and
 * sent once it was back (issue #14). The edge remembers each one, by account
 * and fingerprint of the submit (submit-fingerprint.ts), with the message id
 * and subject it was published with, so that a retry of the same submit:
 *
 * - is answered ESME_ROK at once with the first message id when a late PubAck
 *   said that the first publish was stored;
 * - else is published again with the same message id (Nats-Msg-Id) on the same
 *   subject: JetStream drops it as a duplicate if the first one was stored.
 *
 * Identical submits sent on purpose stay distinct: only a submit answered with
 * a transient error is remembered, each retry takes one entry (the oldest), and
 * an entry is forgotten once a retry of it was answered ESME_ROK. An identical
 * submit after a failure is indistinguishable from a retry, and treating it as
 * one gives the client the right count: the one it thinks failed was stored.
 *
 * Bounded: at most `maxEntries` (the oldest forgotten first) for at most
 * `ttlMs` after the first attempt, which must stay inside the stream's
 * duplicate window less the publish timeout (a retry published later would
 * no longer be deduplicated). docs/architecture.md, "Retried submits".
 */

/** A submit answered with a transient error whose storage is not known. */
export interface UnsettledSubmit {
  readonly systemId: string;
  readonly fingerprint: string;
  /** The message id (and Nats-Msg-Id) of every attempt. */
  readonly messageId: string;
  /** The subject of the first attempt: JetStream deduplicates per stream. */
  readonly subject: string;
  /** When the first attempt was published (the clock's ms). */
  readonly since: number;
  /** A PubAck for one of its attempts came after the timeout: it is stored. */
  stored: boolean;
  /** A retry of it is being published. */
  claimed: boolean;
}

/** Options of UnsettledSubmits. */
export interface UnsettledSubmitsOptions {
  /** How long an entry is kept after its first attempt (ms); 0 turns the memory off. */
  readonly ttlMs: number;
  /** Entries kept at most; the oldest are forgotten first. */
  readonly maxEntries: number;
  /** A monotonic clock in ms (default performance.now). */
  readonly now?: () => number;
}

/** The memory of unsettled submits (see the file comment). */
export class UnsettledSubmits {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  /** By message id, oldest first (every entry lives ttlMs, so insertion order is expiry order). */
  readonly #byId = new Map<string, UnsettledSubmit>();
  /** By account, then fingerprint: the entries of identical submits, oldest first. */
  readonly #byAccount = new Map<string, Map<string, UnsettledSubmit[]>>();

  /** A memory with these bounds. */
  constructor(options: UnsettledSubmitsOptions) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Whether anything is remembered at all (false when turned off). */
  get enabled(): boolean {
    return this.#ttlMs > 0 && this.#maxEntries > 0;
  }

  /** Entries held now. */
  get size(): number {
    this.#prune();
    return this.#byId.size;
  }

  /** Whether the account has entries: the only cost on the submit path while nothing failed. */
  has(systemId: string): boolean {
    if (this.#byId.size === 0) return false;
    this.#prune();
    return this.#byAccount.has(systemId);
  }

  /**
   * Remembers a submit answered with a transient error, published with
   * `messageId` on `subject`. Returns false when the memory is off.
   */
  remember(systemId: string, fingerprint: string, messageId: string, subject: string): boolean {
    if (!this.enabled) return false;
    this.#prune();
    if (this.#byId.has(messageId)) return true;
    while (this.#byId.size >= this.#maxEntries) {
      const oldest = this.#byId.values().next().value;
      if (oldest === undefined) break;
      this.#forget(oldest);
    }
    const entry: UnsettledSubmit = {
      systemId,
      fingerprint,
      messageId,
      subject,
      since: this.#now(),
      stored: false,
      claimed: false,
    };
    this.#byId.set(messageId, entry);
    let byFingerprint = this.#byAccount.get(systemId);
    if (byFingerprint === undefined) {
      byFingerprint = new Map();
      this.#byAccount.set(systemId, byFingerprint);
    }
    const same = byFingerprint.get(fingerprint);
    if (same === undefined) byFingerprint.set(fingerprint, [entry]);
    else same.push(entry);
    return true;
  }

  /** Takes the oldest entry of an identical submit that no retry holds now, for a retry; undefined when none. */
  claim(systemId: string, fingerprint: string): UnsettledSubmit | undefined {
    this.#prune();
    const entry = this.#byAccount
      .get(systemId)
      ?.get(fingerprint)
      ?.find((e) => !e.claimed);
    if (entry !== undefined) entry.claimed = true;
    return entry;
  }

  /** The retry holding `entry` failed again: another retry may take it (within its first attempt's ttl). */
  release(entry: UnsettledSubmit): void {
    entry.claimed = false;
  }

  /** A retry of `entry` was answered ESME_ROK (or will not pass): the next identical submit is a new message. */
  settle(entry: UnsettledSubmit): void {
    this.#forget(entry);
  }

  /** The entry of `messageId`, when remembered. */
  entry(messageId: string): UnsettledSubmit | undefined {
    return this.#byId.get(messageId);
  }

  /** Forgets the entry of `messageId`, if remembered (another pod settled a retry of it). */
  forgetId(messageId: string): void {
    const entry = this.#byId.get(messageId);
    if (entry !== undefined) this.#forget(entry);
  }

  /** A late PubAck said `messageId` is stored; returns its entry when still remembered. */
  markStored(messageId: string): UnsettledSubmit | undefined {
    this.#prune();
    const entry = this.#byId.get(messageId);
    if (entry !== undefined) entry.stored = true;
    return entry;
  }

  #prune(): void {
    const oldest = this.#now() - this.#ttlMs;
    for (const entry of this.#byId.values()) {
      if (entry.since > oldest) return;
      this.#forget(entry);
    }
  }

  #forget(entry: UnsettledSubmit): void {
    if (this.#byId.get(entry.messageId) !== entry) return;
    this.#byId.delete(entry.messageId);
    const byFingerprint = this.#byAccount.get(entry.systemId);
    const same = byFingerprint?.get(entry.fingerprint);
    if (byFingerprint === undefined || same === undefined) return;
    const at = same.indexOf(entry);
    if (at >= 0) same.splice(at, 1);
    if (same.length > 0) return;
    byFingerprint.delete(entry.fingerprint);
    if (byFingerprint.size === 0) this.#byAccount.delete(entry.systemId);
  }
}
