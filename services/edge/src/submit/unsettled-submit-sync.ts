/**
 * Shares the edge's memory of submits of unknown outcome (unsettled-submits.ts)
 * between the edge pods, so that a retry that lands on another pod, or on this
 * one after it restarted, gets the first message id too (docs/architecture.md,
 * "Retried submits"). Every entry this pod remembers is written to the
 * unsettled-submits bucket under its message id (the account, the submit's
 * fingerprint, the subject, whether a late PubAck said it is stored); a late
 * PubAck rewrites it as stored; a settled retry deletes it. Every pod follows
 * the bucket with a KV watch and mirrors it into its own memory. The submit
 * path still decides from memory, without a NATS round trip; only a submit
 * answered ESME_RMSGQFUL costs a write. Two pods given the same retry within
 * the same milliseconds may both publish it: with the same Nats-Msg-Id, so
 * JetStream stores it once.
 */
import type { KV, KvWatchEntry } from '@nats-io/kv';
import {
  KvMirror,
  TopologyError,
  decodeUnsettledSubmitValue,
  encodeUnsettledSubmitValue,
  parseUnsettledSubmitKey,
  unsettledSubmitKey,
} from '@smsgw/nats';
import type { Logger } from '@smsgw/runtime';
import type { UnsettledSubmit, UnsettledSubmits } from './unsettled-submits.ts';

/** Options of UnsettledSubmitSync. */
export interface UnsettledSubmitSyncOptions {
  /** The unsettled-submits bucket. */
  readonly kv: KV;
  /** This pod's memory, which the other pods' entries are mirrored into. */
  readonly unsettled: UnsettledSubmits;
  readonly logger: Logger;
}

/** Writes this pod's unsettled submits to the bucket and mirrors everybody's into its memory. */
export class UnsettledSubmitSync {
  readonly #o: UnsettledSubmitSyncOptions;
  readonly #mirror: KvMirror;

  constructor(options: UnsettledSubmitSyncOptions) {
    this.#o = options;
    this.#mirror = new KvMirror({
      kv: options.kv,
      apply: (entry) => {
        this.#apply(entry);
      },
      logger: options.logger,
      // This pod's memory holds regardless; a retry on another pod is then a new message.
      writeFailed: 'unsettled submit write failed',
      watchFailed: 'unsettled-submits watch failed: retries no longer shared',
    });
  }

  /** Opens the watch (the entries there now first, then each change). */
  async start(): Promise<void> {
    await this.#mirror.start();
  }

  /** Writes an entry this pod remembered, or learned is stored. */
  put(entry: UnsettledSubmit): void {
    const value = encodeUnsettledSubmitValue({
      systemId: entry.systemId,
      fingerprint: entry.fingerprint,
      subject: entry.subject,
      stored: entry.stored,
    });
    this.#mirror.track(this.#o.kv.put(unsettledSubmitKey(entry.messageId), value), {
      message_id: entry.messageId,
    });
  }

  /** A retry of `entry` was settled here: the other pods forget it too. */
  settled(entry: UnsettledSubmit): void {
    this.#mirror.track(this.#o.kv.delete(unsettledSubmitKey(entry.messageId)), {
      message_id: entry.messageId,
    });
  }

  /** Resolves when every write started so far has finished (tests, shutdown). */
  async written(): Promise<void> {
    await this.#mirror.written();
  }

  /** Stops watching, after the writes in flight. */
  async close(): Promise<void> {
    await this.#mirror.close();
  }

  #apply(entry: KvWatchEntry): void {
    const { unsettled } = this.#o;
    try {
      const messageId = parseUnsettledSubmitKey(entry.key);
      if (entry.operation !== 'PUT') {
        unsettled.forgetId(messageId);
        return;
      }
      const value = decodeUnsettledSubmitValue(entry.key, entry.value);
      // This pod's own writes come back too: remembering an entry twice, or marking it stored again, changes nothing.
      unsettled.remember(value.systemId, value.fingerprint, messageId, value.subject);
      if (value.stored) unsettled.markStored(messageId);
    } catch (error) {
      if (!(error instanceof TopologyError)) throw error;
      this.#o.logger.warn({ err: error, key: entry.key }, 'unreadable unsettled-submits entry ignored');
    }
  }
}
