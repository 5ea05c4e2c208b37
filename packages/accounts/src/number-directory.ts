/**
 * An in-memory copy of the number plan that follows every change, for the
 * connector's hot path: each MO asks ownerOf() synchronously. start() opens a
 * KV watch on NUMBER_PLAN_KEY (last value, then every change; the client
 * recreates it after a reconnect) and resolves once the plan as it was at
 * start() is applied. A stored plan that cannot be read keeps the last good one
 * in use (logged by the caller through onInvalid), as the account cache does.
 */
import { KvWatchInclude, type KvWatchEntry, type RoKV } from '@nats-io/kv';
import type { QueuedIterator } from '@nats-io/transport-node';
import { NUMBER_PLAN_KEY } from '@smsgw/nats';
import { AccountError, NumberPlanError } from './errors.ts';
import { NumberPlan, decodeNumberPlan } from './number-plan.ts';

/** Options of a NumberDirectory. */
export interface NumberDirectoryOptions {
  /** How long start() waits for the plan (default 30 s). */
  readonly startTimeoutMs?: number;
  /** Told about a stored plan that could not be read (the previous one stays in use). */
  readonly onInvalid?: (error: NumberPlanError) => void;
}

/** A watching, synchronously readable number plan. */
export class NumberDirectory {
  readonly #kv: RoKV;
  readonly #options: NumberDirectoryOptions;
  #plan = new NumberPlan();
  #revision = 0;
  #watcher: QueuedIterator<KvWatchEntry> | undefined;
  #done: Promise<void> | undefined;

  /** A directory over an open numbers bucket (ensureTopology's kv.numbers); call start(). */
  constructor(kv: RoKV, options: NumberDirectoryOptions = {}) {
    this.#kv = kv;
    this.#options = options;
  }

  /** Loads the plan and follows its changes; throws AccountError when it is not loaded within the timeout. */
  async start(): Promise<void> {
    if (this.#done !== undefined) throw new AccountError('NumberDirectory.start() may be called once');
    const watcher = await this.#kv.watch({ key: NUMBER_PLAN_KEY, include: KvWatchInclude.LastValue });
    this.#watcher = watcher;
    this.#done = this.#follow(watcher);
    const current = await this.#kv.get(NUMBER_PLAN_KEY);
    const wanted = current?.revision ?? 0;
    const deadline = Date.now() + (this.#options.startTimeoutMs ?? 30_000);
    while (this.#revision < wanted) {
      if (Date.now() > deadline) {
        watcher.stop();
        throw new AccountError('the number plan was not loaded in time');
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** The plan as last seen. */
  get plan(): NumberPlan {
    return this.#plan;
  }

  /** The account owning the number in a destination_addr, or undefined. */
  ownerOf(addr: string): string | undefined {
    return this.#plan.ownerOf(addr);
  }

  /** Stops following changes. */
  async close(): Promise<void> {
    this.#watcher?.stop();
    await this.#done;
  }

  async #follow(watcher: QueuedIterator<KvWatchEntry>): Promise<void> {
    for await (const entry of watcher) {
      this.#revision = Math.max(this.#revision, entry.revision);
      if (entry.operation !== 'PUT') {
        this.#plan = new NumberPlan();
        continue;
      }
      try {
        this.#plan = decodeNumberPlan(entry.value);
      } catch (err) {
        this.#options.onInvalid?.(
          err instanceof NumberPlanError
            ? err
            : new NumberPlanError('unreadable number plan', { cause: err }),
        );
      }
    }
  }
}
