/**
 * Shares the failed-bind back-off between the edge pods (README "Limits
 * across pods"): every failure this pod records is written to the
 * bind-failures bucket (`a.<address>` and `s.<system_id>`: the count, when the
 * last was, when its back-off ends), every pod follows the bucket with a KV
 * watch and merges what others wrote into its own AuthBackoff, and a
 * successful bind deletes its system_id's record. The back-off is still
 * decided from memory, without a NATS round trip per bind; a guesser who
 * spreads over pods meets the count of all of them, a few ms late at worst.
 */
import type { KV, KvWatchEntry } from '@nats-io/kv';
import {
  KvMirror,
  TopologyError,
  bindFailureKey,
  decodeBindFailureValue,
  encodeBindFailureValue,
  parseBindFailureKey,
} from '@smsgw/nats';
import type { Logger } from '@smsgw/runtime';
import type { AuthBackoff, BackoffSubject } from './auth-backoff.ts';

/** Options of BindFailureSync. */
export interface BindFailureSyncOptions {
  /** The bind-failures bucket. */
  readonly kv: KV;
  /** This pod's back-off, which the others' failures are merged into. */
  readonly backoff: AuthBackoff;
  readonly logger: Logger;
}

/** Writes this pod's failed binds to the bucket and merges everybody's into the back-off. */
export class BindFailureSync {
  readonly #o: BindFailureSyncOptions;
  readonly #mirror: KvMirror;

  constructor(options: BindFailureSyncOptions) {
    this.#o = options;
    this.#mirror = new KvMirror({
      kv: options.kv,
      apply: (entry) => {
        this.#apply(entry);
      },
      logger: options.logger,
      // This pod's own back-off holds regardless; the others miss one failure.
      writeFailed: 'bind failure write failed',
      watchFailed: 'bind-failures watch failed: back-off no longer shared',
    });
  }

  /** Opens the watch (the current records first, then each change). */
  async start(): Promise<void> {
    await this.#mirror.start();
  }

  /** Writes the current record of a failed bind's address and system_id (after AuthBackoff.recordFailure). */
  failed(address: string, systemId: string): void {
    this.#publish('address', address);
    this.#publish('system-id', systemId);
  }

  /** A bind of `systemId` succeeded here and cleared failures it had: the other pods forget them too. */
  succeeded(systemId: string): void {
    this.#mirror.track(this.#o.kv.delete(bindFailureKey('system-id', systemId)), { id: systemId });
  }

  /** Resolves when every write started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    await this.#mirror.written();
  }

  /** Stops watching. */
  async close(): Promise<void> {
    await this.#mirror.close();
  }

  #publish(subject: BackoffSubject, id: string): void {
    const state = this.#o.backoff.stateOf(subject, id);
    if (state === undefined) return;
    const now = Date.now();
    const value = encodeBindFailureValue({
      failures: state.failures,
      lastAt: Math.round(now - state.sinceLastMs),
      until: Math.round(now + state.remainingMs),
    });
    this.#mirror.track(this.#o.kv.put(bindFailureKey(subject, id), value), { id });
  }

  #apply(entry: KvWatchEntry): void {
    try {
      const { subject, id } = parseBindFailureKey(entry.key);
      if (entry.operation !== 'PUT') {
        this.#o.backoff.forget(subject, id);
        return;
      }
      const value = decodeBindFailureValue(entry.key, entry.value);
      const now = Date.now();
      this.#o.backoff.merge(subject, id, value.failures, now - value.lastAt, value.until - now);
    } catch (error) {
      if (!(error instanceof TopologyError)) throw error;
      this.#o.logger.warn({ err: error, key: entry.key }, 'unreadable bind-failures entry ignored');
    }
  }
}
