import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { Priority } from '@smsgw/nats';
import type { Logger } from '@smsgw/runtime';
import { LaneReader } from './lane-reader.ts';
import { Wakeup } from './wakeup.ts';

/** One lane to read. */
export interface LaneSource {
  readonly priority: Priority;
  /** The lane's durable pull consumer. */
  readonly consumer: Consumer;
  /** Its num_pending when the connector started. */
  readonly pendingAtStart: number;
}

/** Options of PriorityLanes. */
export interface PriorityLanesOptions {
  readonly sources: readonly LaneSource[];
  /** Messages each lane pulls ahead. */
  readonly prefetch: number;
  /** How long one pull waits on an empty lane. */
  readonly expiresMs: number;
  readonly logger: Logger;
  /** Told the buffered count of a lane whenever it changes (for the metrics). */
  readonly onBuffered?: (priority: Priority, size: number) => void;
  /** Pause after a failed pull. */
  readonly retryMs?: number;
}

/** A message taken from a lane. */
export interface Taken {
  readonly message: JsMsg;
  readonly priority: Priority;
}

/**
 * The connector's lanes, served by strict priority: take() returns a message of
 * the highest lane that has one, and nothing at all while a higher lane is
 * known to have more on its way (LaneReader.expecting), so a lower lane is
 * served only when every higher one is empty. At start the lanes' num_pending
 * stands for that knowledge, so after a restart with a backlog the first
 * message handed out is already from the highest non-empty lane.
 */
export class PriorityLanes {
  readonly #lanes: readonly LaneReader[];
  readonly #changed = new Wakeup();

  constructor(options: PriorityLanesOptions) {
    const { onBuffered } = options;
    const onChange = (priority: Priority): void => {
      if (onBuffered !== undefined) onBuffered(priority, this.#lane(priority)?.size ?? 0);
      this.#changed.notify();
    };
    this.#lanes = [...options.sources]
      .sort((a, b) => b.priority - a.priority)
      .map(
        (source) =>
          new LaneReader({
            consumer: source.consumer,
            priority: source.priority,
            pendingAtStart: source.pendingAtStart,
            prefetch: options.prefetch,
            expiresMs: options.expiresMs,
            logger: options.logger,
            onChange,
            ...(options.retryMs === undefined ? {} : { retryMs: options.retryMs }),
          }),
      );
  }

  /** Starts pulling every lane. */
  start(): void {
    for (const lane of this.#lanes) lane.start();
  }

  /** The next message by strict priority, or undefined: nothing buffered, or a higher lane's messages are still on their way. */
  take(): Taken | undefined {
    for (const lane of this.#lanes) {
      const message = lane.take();
      if (message !== undefined) return { message, priority: lane.priority };
      if (lane.expecting) return undefined;
    }
    return undefined;
  }

  /** Resolves at the next change of any lane (a message arrived, a lane turned out empty, a lane closed). */
  changed(): Promise<void> {
    return this.#changed.wait();
  }

  /** True once every lane stopped pulling and is empty. */
  get finished(): boolean {
    return this.#lanes.every((lane) => lane.finished);
  }

  /** Extends the ack wait of every buffered message. */
  touch(): void {
    for (const lane of this.#lanes) lane.touch();
  }

  /** Stops pulling; the open pulls still deliver until they expire. */
  stopIntake(): void {
    for (const lane of this.#lanes) lane.stopIntake();
  }

  /** Closes the open pulls and naks everything buffered. */
  abandon(): void {
    for (const lane of this.#lanes) lane.abandon();
  }

  /** Resolves when every lane's last pull has ended. */
  async closed(): Promise<void> {
    await Promise.all(this.#lanes.map((lane) => lane.closed));
  }

  #lane(priority: Priority): LaneReader | undefined {
    return this.#lanes.find((lane) => lane.priority === priority);
  }
}
