import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { Logger } from '@smsgw/runtime';
import { pullOptions } from './pull-heartbeat.ts';
import { endedUnannounced } from './pull-worker.ts';
import { StallWatch, type StallWatchContext } from './stall-watch.ts';
import type { Priority } from './topology.ts';
import { Wakeup } from './wakeup.ts';

/** Pause after a failed pull (consumer missing, server gone) before pulling again. */
const DEFAULT_RETRY_MS = 1_000;

/** Options of a LaneReader. */
export interface LaneReaderOptions {
  /** The lane's durable pull consumer. */
  readonly consumer: Consumer;
  /** The lane's priority. */
  readonly priority: Priority;
  /** Most messages held: buffered plus still to come on the open pull. */
  readonly prefetch: number;
  /** How long one pull waits on an empty lane (at least 1 s, the client's minimum). */
  readonly expiresMs: number;
  /** The consumer's num_pending at start: the lane counts as non-empty until they arrive or a pull comes back short. */
  readonly pendingAtStart: number;
  /** Where pull failures are reported. */
  readonly logger: Logger;
  /** Called when the buffer or the lane's expectations change. */
  readonly onChange: (priority: Priority) => void;
  /** Pause after a failed pull (default 1 s). */
  readonly retryMs?: number;
  /** When given, the lane is watched for stranded messages while it pulls (stall-watch.ts). */
  readonly stallWatch?: StallWatchContext;
}

/**
 * One priority lane: pulls its consumer into a small buffer, ahead of need.
 *
 * A pull asks for as many messages as the buffer has room for and stays open
 * on the server up to `expiresMs`, so a message published on an idle lane
 * arrives at once, and an idle lane costs one pull request per `expiresMs` —
 * no polling loop. The next pull goes out when the buffer is down to half, so
 * at most `prefetch` messages wait here, all visible (their ack wait is
 * extended by touch()).
 *
 * `expecting` tells the scheduler that the lane is empty only for the moment:
 * the last message delivered said more are pending (JetStream's per-message
 * num_pending), so a lower lane must not be served meanwhile. It clears when a
 * pull comes back short: the lane is empty, or another replica took the rest.
 */
export class LaneReader {
  /** The lane's priority. */
  readonly priority: Priority;
  readonly #options: LaneReaderOptions;
  readonly #lowWater: number;
  readonly #buffer: JsMsg[] = [];
  readonly #room = new Wakeup();
  readonly #stopped = new AbortController();
  #expecting: boolean;
  #intake = true;
  #abandoned = false;
  #pumping = false;
  #fetch: ConsumerMessages | undefined;
  #closed: Promise<void> = Promise.resolve();
  readonly #stallWatch: StallWatch | undefined;

  constructor(options: LaneReaderOptions) {
    this.#options = options;
    this.priority = options.priority;
    this.#lowWater = Math.floor(options.prefetch / 2);
    this.#expecting = options.pendingAtStart > 0;
    this.#stallWatch =
      options.stallWatch === undefined
        ? undefined
        : new StallWatch({
            ...options.stallWatch,
            consumer: options.consumer,
            logger: options.logger.child({ lane: options.priority }),
          });
  }

  /** Starts pulling (once). */
  start(): void {
    if (this.#pumping || !this.#intake) return;
    this.#pumping = true;
    this.#stallWatch?.start();
    this.#closed = this.#pump().finally(() => {
      this.#stallWatch?.stop();
      this.#pumping = false;
      this.#expecting = false;
      this.#options.onChange(this.priority);
    });
  }

  /** Messages buffered. */
  get size(): number {
    return this.#buffer.length;
  }

  /** True while the buffer is empty but more messages are known to be on their way. */
  get expecting(): boolean {
    return this.#expecting && this.#pumping && this.#buffer.length === 0;
  }

  /** True once pulling stopped for good and the buffer is empty. */
  get finished(): boolean {
    return !this.#pumping && this.#buffer.length === 0;
  }

  /** Resolves when the last pull has ended (after stopIntake or abandon). */
  get closed(): Promise<void> {
    return this.#closed;
  }

  /** The oldest buffered message, removed; undefined when empty. */
  take(): JsMsg | undefined {
    const message = this.#buffer.shift();
    if (message !== undefined) {
      if (this.#buffer.length <= this.#lowWater) this.#room.notify();
      this.#options.onChange(this.priority);
    }
    return message;
  }

  /** Extends the ack wait of every buffered message: a low lane may wait long behind higher ones. */
  touch(): void {
    for (const message of this.#buffer) message.working();
  }

  /** Stops pulling: no new pull goes out; the open one still delivers until it expires, and its messages are served. */
  stopIntake(): void {
    this.#intake = false;
    this.#room.notify();
    this.#stopped.abort();
  }

  /** Gives up at once: closes the open pull and naks what is buffered, so that others get it now. */
  abandon(): void {
    this.stopIntake();
    this.#abandoned = true;
    if (this.#fetch !== undefined) this.#close(this.#fetch);
    for (const message of this.#buffer.splice(0)) message.nak();
    this.#options.onChange(this.priority);
  }

  async #pump(): Promise<void> {
    const { consumer, prefetch, expiresMs, logger, onChange } = this.#options;
    while (this.#pulling()) {
      while (this.#pulling() && this.#buffer.length > this.#lowWater) await this.#room.wait();
      if (!this.#pulling()) break;
      const batch = prefetch - this.#buffer.length;
      let received = 0;
      let failed = false;
      try {
        // A short heartbeat: a pull lost with its consumer leader is noticed within ~2 s (@smsgw/nats pullOptions).
        const pull = await consumer.fetch(pullOptions(batch, expiresMs));
        this.#fetch = pull;
        if (this.#abandoned) this.#close(pull);
        for await (const message of pull) {
          received++;
          this.#stallWatch?.progressed();
          // Closed by abandon(): what still trickles in goes back at once.
          if (this.#abandoned) {
            message.nak();
            continue;
          }
          this.#expecting = message.info.pending > 0;
          this.#buffer.push(message);
          onChange(this.priority);
        }
      } catch (err) {
        if (endedUnannounced(err)) {
          logger.debug(
            { err, lane: this.priority, received },
            'lane pull ended without the server saying so',
          );
        } else {
          logger.warn({ err, lane: this.priority }, 'lane pull failed; pulling again shortly');
          failed = true;
        }
      } finally {
        this.#fetch = undefined;
      }
      // A pull that came back short found the lane empty (or another replica took the rest).
      if (received < batch && this.#expecting) {
        this.#expecting = false;
        onChange(this.priority);
      }
      if (failed) await this.#pause(this.#options.retryMs ?? DEFAULT_RETRY_MS);
    }
  }

  /** Ends a pull now: unsubscribes, so the server drops it. */
  #close(pull: ConsumerMessages): void {
    pull.close().then(
      () => undefined,
      (err: unknown) => {
        this.#options.logger.warn({ err, lane: this.priority }, 'closing a lane pull failed');
      },
    );
  }

  /** Whether new pulls may go out; a method, so that it is read anew after every await. */
  #pulling(): boolean {
    return this.#intake;
  }

  /** Waits `ms`, or less when intake stops meanwhile. */
  async #pause(ms: number): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: this.#stopped.signal });
    } catch {
      // Aborted by stopIntake(): stop waiting, which is all that was asked.
    }
  }
}
