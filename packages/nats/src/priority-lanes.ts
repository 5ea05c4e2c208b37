import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { Logger } from '@smsgw/runtime';
import { LaneReader } from './lane-reader.ts';
import type { StallWatchContext } from './stall-watch.ts';
import type { Priority } from './topology.ts';
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
  /**
   * The lower lanes' share under sustained load: while a lower lane has
   * messages waiting, every `lowerLaneEvery`-th take serves one (the lower
   * lanes take turns), so no lane starves. 0 = strict priority, a lower lane
   * only when every higher one is empty. Default 0.
   */
  readonly lowerLaneEvery?: number;
  /** When given, every lane is watched for stranded messages while it pulls (stall-watch.ts). */
  readonly stallWatch?: StallWatchContext;
}

/** A message taken from a lane. */
export interface Taken {
  readonly message: JsMsg;
  readonly priority: Priority;
}

/**
 * Priority lanes (the connector's routed messages, the router's submits, the
 * dispatcher's status events and backlogs; docs/architecture.md, "Priority end
 * to end"), served by strict priority with a share for lower lanes: take()
 * returns a message of the highest lane that has one, and nothing at all
 * while a higher lane is known to have more on its way
 * (LaneReader.expecting), so a lower lane is served only when every higher one
 * is empty — except for its share (lowerLaneEvery), which keeps it moving
 * under sustained higher-lane load. At start the lanes' num_pending stands for
 * that knowledge, so after a restart with a backlog the first message handed
 * out is already from the highest non-empty lane.
 */
export class PriorityLanes {
  readonly #lanes: readonly LaneReader[];
  readonly #changed = new Wakeup();
  readonly #lowerLaneEvery: number;
  /** Takes from the top lane in a row while a lower lane had messages waiting. */
  #streak = 0;
  /** The lower lane served by the last share: the next share goes to the one below it (turns). */
  #lastShare: Priority | undefined;

  constructor(options: PriorityLanesOptions) {
    this.#lowerLaneEvery = options.lowerLaneEvery ?? 0;
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
            ...(options.stallWatch === undefined ? {} : { stallWatch: options.stallWatch }),
          }),
      );
  }

  /** Starts pulling every lane. */
  start(): void {
    for (const lane of this.#lanes) lane.start();
  }

  /**
   * The next message by priority (strict, but for the lower lanes' share), or
   * undefined: nothing buffered, or a higher lane's messages are still on their
   * way. `mayServe` excludes lanes the caller cannot serve now (the connector's
   * slots kept for higher lanes); an excluded lane is passed over, not waited for.
   */
  take(mayServe: (priority: Priority) => boolean = () => true): Taken | undefined {
    const ready: LaneReader[] = [];
    for (const lane of this.#lanes) {
      if (lane.size > 0 && mayServe(lane.priority)) ready.push(lane);
      else if (lane.expecting) break;
    }
    const [top, ...lower] = ready;
    if (top === undefined) return undefined;
    let lane = top;
    if (lower.length === 0) {
      this.#streak = 0;
    } else if (this.#lowerLaneEvery > 0 && this.#streak >= this.#lowerLaneEvery - 1) {
      // The lower lanes' turn: the next one below the last served, round again from the highest.
      const last = this.#lastShare;
      lane = lower.find((l) => last === undefined || l.priority < last) ?? lower[0] ?? top;
      this.#lastShare = lane.priority;
      this.#streak = 0;
    } else {
      this.#streak++;
    }
    const message = lane.take();
    return message === undefined ? undefined : { message, priority: lane.priority };
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
