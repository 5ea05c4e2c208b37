/**
 * The message-id node id (message-id-generator.ts) of this pod, leased from a KV bucket
 * so that no two live pods share one: the key is created only if absent
 * (kv.create), renewed by compare-and-set (kv.update on our revision) every
 * third of the bucket TTL, and deleted (if still ours) on release.
 *
 * The lease lives in the presence bucket (TTL = presence TTL) under the
 * pseudo-account NODE_LEASE_ACCOUNT (@smsgw/nats), which is 16 characters long: no SMPP
 * system_id (at most 15) can ever name it, so presence readers never mistake a
 * lease for a receiver. A bucket of its own would be cleaner (see README).
 *
 * Failure modes: the lease counts as held only until `confirmedAt + ttl -
 * margin`, where confirmedAt is when the last successful write was *sent*
 * (the server's expiry counts from when it stored it, later), so this pod stops
 * making ids before another pod could take its node id. A renewal that finds
 * the key changed means the lease was lost (expired during a NATS outage and
 * taken over); the holder then leases a new node id. While no lease is held,
 * no ids are made and submits are answered ESME_RSYSERR (they could not be
 * published anyway: the same outage).
 */
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { nodeLeaseKey } from '@smsgw/nats';
import type { Logger } from '@smsgw/runtime';
import { MAX_NODE_ID } from './message-id-generator.ts';

/** Thrown when no node id is free, or a lease cannot be taken. */
export class NodeIdLeaseError extends Error {
  override readonly name = 'NodeIdLeaseError';
}

/** Options of NodeIdLease.acquire. */
export interface NodeIdLeaseOptions {
  /** The bucket (the presence bucket) whose TTL bounds a lease. */
  readonly kv: KV;
  /** The bucket's TTL (max_age) in ms. */
  readonly ttlMs: number;
  /** This pod's name, stored in the lease for operators. */
  readonly pod: string;
  readonly logger: Logger;
  /** Monotonic clock in ms (default performance.now). */
  readonly now?: () => number;
  /** First node id tried (default random, so restarting pods rarely reuse their last id). */
  readonly firstTry?: number;
}

/** A held node-id lease, renewed in the background until released. */
export class NodeIdLease {
  /** The leased node id. */
  readonly nodeId: number;
  readonly #kv: KV;
  readonly #ttlMs: number;
  readonly #key: string;
  readonly #value: Uint8Array;
  readonly #now: () => number;
  readonly #logger: Logger;
  #revision: number;
  #confirmedAt: number;
  #lost = false;
  #released = false;
  #timer: NodeJS.Timeout | undefined;
  #renewing: Promise<void> | undefined;
  readonly #lostListeners = new Set<() => void>();

  private constructor(
    options: NodeIdLeaseOptions,
    nodeId: number,
    revision: number,
    sentAt: number,
    value: Uint8Array,
  ) {
    this.nodeId = nodeId;
    this.#kv = options.kv;
    this.#ttlMs = options.ttlMs;
    this.#key = nodeLeaseKey(nodeId);
    this.#value = value;
    this.#now = options.now ?? (() => performance.now());
    this.#logger = options.logger;
    this.#revision = revision;
    this.#confirmedAt = sentAt;
    this.#timer = setInterval(
      () => {
        this.#renewing ??= this.renew().finally(() => {
          this.#renewing = undefined;
        });
      },
      Math.max(1, Math.floor(options.ttlMs / 3)),
    );
    this.#timer.unref();
  }

  /** Leases the first free node id, trying each of 0..1023 once from `firstTry`; NodeIdLeaseError when none is free. */
  static async acquire(options: NodeIdLeaseOptions): Promise<NodeIdLease> {
    const now = options.now ?? (() => performance.now());
    const start = options.firstTry ?? Math.floor(Math.random() * (MAX_NODE_ID + 1));
    const value = new TextEncoder().encode(
      JSON.stringify({ pod: options.pod, since: new Date().toISOString() }),
    );
    let lastError: unknown;
    for (let i = 0; i <= MAX_NODE_ID; i++) {
      const nodeId = (start + i) % (MAX_NODE_ID + 1);
      const sentAt = now();
      try {
        const revision = await options.kv.create(nodeLeaseKey(nodeId), value);
        options.logger.info({ nodeId, revision }, 'message-id node id leased');
        return new NodeIdLease(options, nodeId, revision, sentAt, value);
      } catch (error) {
        // Taken (wrong last sequence) or a failure: try the next one; report the last error if none works.
        lastError = error;
      }
    }
    throw new NodeIdLeaseError('no message-id node id could be leased (all 1024 taken or NATS failing)', {
      cause: lastError,
    });
  }

  /** Whether ids may be made: the lease is surely still ours (confirmed less than TTL minus a margin ago). */
  get valid(): boolean {
    if (this.#lost || this.#released) return false;
    const margin = Math.min(1_000, this.#ttlMs / 6);
    return this.#now() - this.#confirmedAt < this.#ttlMs - margin;
  }

  /** Whether a renewal found the key taken over (or gone): the lease will never be valid again. */
  get lost(): boolean {
    return this.#lost;
  }

  /** Calls `listener` once when the lease is found lost. */
  onLost(listener: () => void): void {
    this.#lostListeners.add(listener);
  }

  /** Renews the lease by compare-and-set; a failure to reach NATS is logged, a changed key marks it lost. */
  async renew(): Promise<void> {
    if (this.#lost || this.#released) return;
    const sentAt = this.#now();
    try {
      this.#revision = await this.#kv.update(this.#key, this.#value, this.#revision);
      this.#confirmedAt = sentAt;
    } catch (error) {
      // release() may have run meanwhile.
      if (this.#isReleased()) return;
      if (isWrongLastSequence(error)) {
        this.#markLost(error);
        return;
      }
      this.#logger.warn({ err: error, nodeId: this.nodeId }, 'message-id node id lease renewal failed');
      if (!this.valid)
        this.#logger.warn({ nodeId: this.nodeId }, 'message-id node id lease may have expired');
    }
  }

  /** Stops renewing and deletes the key if it is still ours (failures are logged: the TTL frees it anyway). */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    clearInterval(this.#timer);
    await this.#renewing;
    if (this.#lost) return;
    try {
      await this.#kv.delete(this.#key, { previousSeq: this.#revision });
    } catch (error) {
      this.#logger.warn({ err: error, nodeId: this.nodeId }, 'message-id node id lease not deleted');
    }
  }

  #isReleased(): boolean {
    return this.#released;
  }

  #markLost(error: unknown): void {
    this.#lost = true;
    clearInterval(this.#timer);
    this.#logger.error({ err: error, nodeId: this.nodeId }, 'message-id node id lease lost');
    for (const listener of this.#lostListeners) listener();
  }
}

/** JetStream refusing a compare-and-set write: the key is no longer at our revision. */
function isWrongLastSequence(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence ||
      error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}
