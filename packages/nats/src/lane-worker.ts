/**
 * A service's intake from one shared durable consumer per priority (the
 * router's submits, the dispatcher's status events), served by priority with
 * a share for the lower lanes (PriorityLanes; docs/architecture.md, "Priority
 * end to end"): the same contract as startPullWorker (at most `concurrency`
 * messages handled at once, two-step shutdown, handle never rejects), but a
 * message of a higher priority never waits behind lower ones that arrived
 * earlier, beyond the lower lanes' share.
 *
 * Each lane pulls up to `prefetch` messages ahead into its buffer (one
 * fetch() at a time, so a graceful stop lets the open pull end rather than
 * dropping what the server sent); buffered messages get their ack wait
 * extended every third of it, since a low lane may wait long behind higher
 * ones.
 */
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { Logger } from '@smsgw/runtime';
import { PriorityLanes, type LaneSource } from './priority-lanes.ts';
import type { StallWatchContext } from './stall-watch.ts';
import type { InFlightHooks, PullWorker } from './pull-worker.ts';
import type { Priority, PriorityLane } from './topology.ts';
import { Wakeup } from './wakeup.ts';

/** What startLaneWorker needs. */
/** How a service pulls its priority lanes, as its settings give it (router, dispatcher status stage). */
export interface LaneIntakeBounds {
  /** Messages each lane pulls ahead. */
  readonly batchSize: number;
  /** How long one pull waits on an empty lane (≥ 1 s). */
  readonly pullExpiresMs: number;
  /** Messages handled at the same time. */
  readonly concurrency: number;
  /** A lower lane gets one message in this many while it waits behind a busy higher one (0: strict; default 10). */
  readonly lowerLaneEvery?: number;
  /** The consumers' ack wait: buffered messages are touched every third of it (default 30 s). */
  readonly ackWaitMs?: number;
  /** Pause after a failed pull (default 1 s). */
  readonly restartDelayMs?: number;
  /** When given, every lane is watched for stranded messages (stall-watch.ts): pass the Topology. */
  readonly stallWatch?: StallWatchContext;
}

export interface LaneWorkerOptions {
  /** JetStream client the consumers are looked up with. */
  readonly js: JetStreamClient;
  /** The lanes: stream and durable consumer of each priority (routerLanes(), dlrDispatcherLanes()). */
  readonly lanes: readonly PriorityLane[];
  /** Messages each lane pulls ahead. */
  readonly prefetch: number;
  /** How long one pull waits on an empty lane (at least 1 s); bounds how long stopIntake takes. */
  readonly pullExpiresMs: number;
  /** Messages handled at the same time. */
  readonly concurrency: number;
  /** A lower lane gets one take in this many while it waits behind a busy higher one (0: strict). */
  readonly lowerLaneEvery: number;
  /** The consumers' ack wait: buffered messages are touched every third of it. */
  readonly ackWaitMs: number;
  /** Settles one message (ack, nak or term); must not reject (a rejection is logged as a bug). */
  readonly handle: (m: JsMsg, priority: Priority) => Promise<unknown>;
  readonly logger: Logger;
  /** Who pulls, at the start of the worker's log messages. */
  readonly name: string;
  /** Told about every message handed to the handler and every one settled. */
  readonly onInFlight?: InFlightHooks;
  /** Pause after a failed pull (default 1 s). */
  readonly retryMs?: number;
  /** When given, every lane is watched for stranded messages (stall-watch.ts). */
  readonly stallWatch?: StallWatchContext;
}

/** Starts serving the lanes; resolves once every lane's consumer was looked up and pulling began. */
export async function startLaneWorker(options: LaneWorkerOptions): Promise<PullWorker> {
  const { js, concurrency, handle, name, onInFlight } = options;
  const logger = options.logger.child({ lanes: options.lanes.map((l) => l.consumer) });
  const sources = await Promise.all(
    options.lanes.map(async (lane): Promise<LaneSource> => {
      const consumer = await js.consumers.get(lane.stream, lane.consumer);
      const info = await consumer.info(true);
      return { priority: lane.priority, consumer, pendingAtStart: info.num_pending };
    }),
  );
  const lanes = new PriorityLanes({
    sources,
    prefetch: options.prefetch,
    expiresMs: options.pullExpiresMs,
    logger,
    lowerLaneEvery: options.lowerLaneEvery,
    ...(options.retryMs === undefined ? {} : { retryMs: options.retryMs }),
    ...(options.stallWatch === undefined ? {} : { stallWatch: options.stallWatch }),
  });
  const inFlight = new Set<JsMsg>();
  const slotFreed = new Wakeup();
  let intakeStopped = false;
  const touchTimer = setInterval(
    () => {
      lanes.touch();
    },
    Math.max(100, Math.floor(options.ackWaitMs / 3)),
  );
  touchTimer.unref();

  const dispatch = (message: JsMsg, priority: Priority): void => {
    inFlight.add(message);
    onInFlight?.inc();
    // Called inside an async function, so that a handler throwing synchronously is caught like a rejection.
    void (async () => handle(message, priority))()
      .catch((error: unknown) => {
        // A bug, not a handling failure: the message stays unacked and comes back after ack_wait.
        logger.error({ err: error, stream_seq: message.seq }, `${name} handler failed unexpectedly`);
      })
      .finally(() => {
        inFlight.delete(message);
        onInFlight?.dec();
        slotFreed.notify();
      });
  };

  const run = async (): Promise<void> => {
    try {
      for (;;) {
        while (inFlight.size >= concurrency) await slotFreed.wait();
        const next = lanes.take();
        if (next !== undefined) {
          dispatch(next.message, next.priority);
          continue;
        }
        if (lanes.finished) break;
        await lanes.changed();
      }
      while (inFlight.size > 0) await slotFreed.wait();
    } finally {
      clearInterval(touchTimer);
    }
  };

  lanes.start();
  const loop = run();
  logger.info(
    { prefetch: options.prefetch, concurrency, lower_lane_every: options.lowerLaneEvery },
    `${name} pulling by priority`,
  );

  return {
    async stopIntake() {
      if (!intakeStopped) {
        intakeStopped = true;
        lanes.stopIntake();
        logger.info({ in_flight: inFlight.size }, `${name} intake stopping`);
      }
      await lanes.closed();
    },
    async drained() {
      await loop;
      logger.info(`${name} drained: every received message is settled`);
    },
    get inFlight() {
      return inFlight.size;
    },
  };
}
