/**
 * The mechanics of a KV bucket that several pods write and each follows:
 * writes are fire-and-forget but tracked (a failed one is logged, never
 * thrown: the writer's own memory holds regardless), the watch hands every
 * entry (the current ones first, then each change) to `apply`, and close()
 * waits for the writes in flight before it stops watching. The edge's
 * bind-failures and unsettled-submits syncs are built on it.
 */
import { KvWatchInclude, type KV, type KvWatchEntry } from '@nats-io/kv';
import type { QueuedIterator } from '@nats-io/transport-node';
import type { Logger } from '@smsgw/runtime';

/** Options of KvMirror. */
export interface KvMirrorOptions {
  readonly kv: KV;
  /** Takes one entry of the watch, the pod's own writes included. */
  readonly apply: (entry: KvWatchEntry) => void;
  readonly logger: Logger;
  /** Logged at warn, with the write's fields, when a write fails. */
  readonly writeFailed: string;
  /** Logged at error when the watch ends with an error (the bucket is no longer followed). */
  readonly watchFailed: string;
}

/** Tracked writes to a bucket, and a watch that follows it. */
export class KvMirror {
  readonly #o: KvMirrorOptions;
  #watcher: QueuedIterator<KvWatchEntry> | undefined;
  #done: Promise<void> | undefined;
  readonly #writes = new Set<Promise<void>>();

  constructor(options: KvMirrorOptions) {
    this.#o = options;
  }

  /** Opens the watch (the current entries first, then each change). */
  async start(): Promise<void> {
    if (this.#done !== undefined) return;
    const watcher = await this.#o.kv.watch({ include: KvWatchInclude.LastValue });
    this.#watcher = watcher;
    this.#done = this.#follow(watcher);
  }

  /** Tracks a write (a put or a delete): a failure is logged with `fields`, never thrown. */
  track(write: Promise<unknown>, fields: Readonly<Record<string, unknown>>): void {
    const tracked = write.then(
      () => undefined,
      (error: unknown) => {
        this.#o.logger.warn({ ...fields, err: error }, this.#o.writeFailed);
      },
    );
    this.#writes.add(tracked);
    void tracked.then(() => this.#writes.delete(tracked));
  }

  /** Resolves when every write started so far has finished (tests, shutdown). */
  async written(): Promise<void> {
    while (this.#writes.size > 0) await Promise.all([...this.#writes]);
  }

  /** Stops watching, after the writes in flight. */
  async close(): Promise<void> {
    await this.written();
    this.#watcher?.stop();
    await this.#done;
  }

  async #follow(watcher: QueuedIterator<KvWatchEntry>): Promise<void> {
    try {
      for await (const entry of watcher) this.#o.apply(entry);
    } catch (error) {
      this.#o.logger.error({ err: error }, this.#o.watchFailed);
    }
  }
}
