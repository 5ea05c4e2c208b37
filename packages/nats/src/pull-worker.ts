/**
 * A service's intake from a shared durable pull consumer (the router's on
 * SMS_SUBMIT, the dispatcher's on SMS_STATUS): every replica pulls from the
 * same durable, so the server hands each message to one of them. Batched
 * (each fetch() asks for up to batchSize messages and lasts at most
 * pullExpiresMs) and bounded (at most `concurrency` messages handled at once;
 * the loop takes no more from the batch, and asks for no new batch, until one
 * finishes).
 *
 * fetch() rather than consume(): a fetch ends when the server says its pull
 * request is complete (batch delivered, or expired), so when intake stops
 * after the current fetch no message can still be on its way to this replica.
 * Closing a consume() drops what the server already sent, and those messages
 * would wait out ack_wait before another replica got them.
 *
 * Shutdown is two steps: stopIntake() asks for no new batch (the current one
 * ends within pullExpiresMs, and its messages are still handled), drained()
 * resolves once every received message is settled (acked, nak'ed, terminated).
 *
 * A failed pull (lost connection, consumer or stream missing) is logged, and
 * the consumer is looked up again after restartDelayMs: a consumer deleted and
 * created again is picked up without a restart. A pull that ends without the
 * server saying so after bringing messages (nats-server 2.9 at a partly filled
 * pull's expiry) is routine: the next one goes out at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  JetStreamError,
  type Consumer,
  type ConsumerMessages,
  type JetStreamClient,
  type JsMsg,
} from '@nats-io/jetstream';
import type { Logger } from '@smsgw/runtime';
import { pullOptions } from './pull-heartbeat.ts';
import { StallWatch, type StallWatchContext } from './stall-watch.ts';

/** Something that counts messages in flight; a prom-client Gauge is one. */
export interface InFlightHooks {
  /** A message was taken from the batch and handed to the handler. */
  inc(): void;
  /** The handler of a message settled. */
  dec(): void;
}

/** How a pull worker pulls: batch size, pull expiry, concurrency and the pause after a failure. */
export interface PullBounds {
  /** Messages requested per pull (fetch max_messages). */
  readonly batchSize: number;
  /** How long one pull request waits for messages (fetch expires, at least 1 s; default 5 s); bounds how long stopIntake takes. */
  readonly pullExpiresMs?: number;
  /** Messages handled at the same time. */
  readonly concurrency: number;
  /** Pause before pulling again after a pull failed (default 1 s). */
  readonly restartDelayMs?: number;
  /** When given, the consumer is watched for stranded messages (stall-watch.ts). */
  readonly stallWatch?: StallWatchContext;
}

/** What startPullWorker needs. */
export interface PullWorkerOptions extends PullBounds {
  /** JetStream client the consumer is looked up with. */
  readonly js: JetStreamClient;
  /** The stream of the consumer. */
  readonly stream: string;
  /** The shared durable pull consumer's name. */
  readonly consumer: string;
  /**
   * Settles one message (ack, nak or term). Must not reject: a rejection is a
   * bug, logged at error, and the message stays unacked until ack_wait.
   * What it resolves to is ignored.
   */
  readonly handle: (m: JsMsg) => Promise<unknown>;
  /** The service's logger. */
  readonly logger: Logger;
  /** Who pulls, at the start of the worker's log messages (`router` → "router intake stopping"). */
  readonly name: string;
  /** Told about every message handed to the handler and every one settled (an in-flight gauge). */
  readonly onInFlight?: InFlightHooks;
}

/** A running intake loop. */
export interface PullWorker {
  /** Asks for no new batch and resolves when the current pull request has ended; its messages are still handled. Idempotent. */
  stopIntake(): Promise<void>;
  /** Resolves when intake has stopped and every received message is settled. */
  drained(): Promise<void>;
  /** Messages being handled right now. */
  readonly inFlight: number;
}

/** Consumer notifications worth a warning; the rest (heartbeats, next, discard) are routine. */
const WARN_NOTIFICATIONS = new Set([
  'heartbeats_missed',
  'consumer_not_found',
  'stream_not_found',
  'consumer_deleted',
  'exceeded_limits',
  'no_responders',
]);

/**
 * Whether a pull's error only means that it ended without the server saying so:
 * the client notices a request the server dropped (nats-server 2.9 may end a
 * partly filled pull silently at its expiry) by two missed idle heartbeats
 * (nats.js #150). The messages it brought were all delivered before the error.
 */
export function endedUnannounced(err: unknown): boolean {
  return err instanceof JetStreamError && err.message === 'heartbeats missed';
}

/** Starts handling messages from a shared durable pull consumer; see the module comment. */
export function startPullWorker(options: PullWorkerOptions): PullWorker {
  const { js, stream, batchSize, concurrency, handle, name, onInFlight } = options;
  const logger = options.logger.child({ stream, consumer: options.consumer });
  const pullExpiresMs = options.pullExpiresMs ?? 5_000;
  const restartDelayMs = options.restartDelayMs ?? 1_000;
  const stopping = new AbortController();
  // A function, not a property read: the flag changes across awaits.
  const stopped = (): boolean => stopping.signal.aborted;
  const inFlight = new Set<Promise<unknown>>();
  let intakeEnded: () => void = () => undefined;
  const intakeDone = new Promise<void>((resolve) => {
    intakeEnded = resolve;
  });

  const logNotifications = async (batch: ConsumerMessages): Promise<void> => {
    for await (const n of batch.status()) {
      if (WARN_NOTIFICATIONS.has(n.type)) logger.warn({ notification: n }, `${name} consumer notification`);
      else logger.trace({ notification: n }, `${name} consumer notification`);
    }
  };

  /** Waits until a slot is free or intake stops: no new batch is asked for while every slot is busy. */
  const slotOrStop = async (): Promise<void> => {
    while (inFlight.size >= concurrency && !stopped()) {
      // A fresh promise per wait: racing one long-lived promise would pile up a reaction on it per wait.
      const { promise: stopRequested, resolve } = Promise.withResolvers<undefined>();
      const onAbort = (): void => {
        resolve(undefined);
      };
      stopping.signal.addEventListener('abort', onAbort, { once: true });
      try {
        await Promise.race([...inFlight, stopRequested]);
      } finally {
        stopping.signal.removeEventListener('abort', onAbort);
      }
    }
  };

  const pause = async (): Promise<void> => {
    try {
      await sleep(restartDelayMs, undefined, { signal: stopping.signal });
    } catch {
      // Aborted by stopIntake(): the loop condition ends the loop.
    }
  };

  /** Handles one batch: every message the pull request brings, at most `concurrency` at a time. */
  const handleBatch = async (batch: ConsumerMessages): Promise<void> => {
    logNotifications(batch).catch((error: unknown) => {
      logger.debug({ err: error }, `${name} consumer notifications ended`);
    });
    let received = 0;
    try {
      for await (const m of batch) {
        received++;
        watch?.progressed();
        // Bounded: the next message is taken only when a slot is free.
        while (inFlight.size >= concurrency) await Promise.race(inFlight);
        onInFlight?.inc();
        // Called inside an async function, so that a handler throwing synchronously is caught like a rejection.
        const job = (async () => handle(m))()
          .catch((error: unknown) => {
            // A bug, not a handling failure: the message stays unacked and comes back after ack_wait.
            logger.error({ err: error, stream_seq: m.seq }, `${name} handler failed unexpectedly`);
          })
          .finally(() => {
            inFlight.delete(job);
            onInFlight?.dec();
          });
        inFlight.add(job);
      }
    } catch (error) {
      // Everything it brought was handed out; only a pull that brought nothing is suspect (a consumer gone silently).
      if (!(endedUnannounced(error) && received > 0)) throw error;
      logger.debug({ err: error, received }, `${name} pull ended without the server saying so`);
    }
  };

  let watch: StallWatch | undefined;
  const run = async (): Promise<void> => {
    let consumer: Consumer | undefined;
    while (!stopped()) {
      try {
        await slotOrStop();
        if (stopped()) break;
        if (consumer === undefined) {
          consumer = await js.consumers.get(stream, options.consumer);
          watch?.stop();
          watch =
            options.stallWatch === undefined
              ? undefined
              : new StallWatch({ ...options.stallWatch, consumer, logger });
          watch?.start();
        }
        // A short heartbeat: a pull lost with its consumer leader is noticed within ~2 s (pull-heartbeat.ts).
        await handleBatch(await consumer.fetch(pullOptions(batchSize, pullExpiresMs)));
      } catch (error) {
        // A lost connection or a missing consumer: look the consumer up again after a pause.
        consumer = undefined;
        logger.error({ err: error, delay_ms: restartDelayMs }, `${name} pull failed; pulling again shortly`);
        await pause();
      }
    }
    watch?.stop();
    intakeEnded();
    // handle never rejects (a rejection is caught above), so this waits for every message to be settled.
    await Promise.all(inFlight);
  };

  const loop = run();
  logger.info({ batch_size: batchSize, concurrency, pull_expires_ms: pullExpiresMs }, `${name} pulling`);

  return {
    async stopIntake() {
      if (!stopped()) {
        stopping.abort();
        logger.info({ in_flight: inFlight.size }, `${name} intake stopping`);
      }
      await intakeDone;
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
