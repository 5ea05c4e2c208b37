/**
 * The dispatcher's intake: a pull loop on the shared `dlr-dispatcher` durable
 * of SMS_STATUS (every replica pulls from the same one; the server hands each
 * status event to one of them), batched (each fetch() asks for up to
 * batchSize events and lasts at most pullExpiresMs) and bounded (at most
 * `concurrency` events handled at once).
 *
 * fetch() rather than consume(), as in the router: a fetch ends when the
 * server says its pull request is complete, so once intake stops after the
 * current fetch no event can still be on its way to this replica.
 *
 * Shutdown is two steps: stopIntake() asks for no new batch (the current one
 * ends within pullExpiresMs, and its events are still handled), drained()
 * resolves once every received event is settled (acked, nak'ed, terminated).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, ConsumerMessages } from '@nats-io/jetstream';
import { ConsumerName, StreamName } from '@smsgw/nats';
import { handleStatus, type StatusHandlerDeps } from './handle-status.ts';

/** What startStatusWorker needs: the handler's dependencies plus the intake bounds. */
export interface StatusWorkerOptions extends StatusHandlerDeps {
  /** Status events requested per pull (fetch max_messages). */
  readonly batchSize: number;
  /** How long one pull request waits for events (fetch expires, at least 1 s; default 5 s); bounds how long stopIntake takes. */
  readonly pullExpiresMs?: number;
  /** Status events handled at the same time. */
  readonly concurrency: number;
  /** Pause before pulling again after a pull failed (default 1 s). */
  readonly restartDelayMs?: number;
}

/** A running intake loop. */
export interface StatusWorker {
  /** Asks for no new batch and resolves when the current pull request has ended; its events are still handled. Idempotent. */
  stopIntake(): Promise<void>;
  /** Resolves when intake has stopped and every received event is settled. */
  drained(): Promise<void>;
  /** Status events being handled right now. */
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

/** Starts turning status events into delivery reports; see the module comment. */
export function startStatusWorker(options: StatusWorkerOptions): StatusWorker {
  const { js, logger, metrics, batchSize, concurrency } = options;
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
      if (WARN_NOTIFICATIONS.has(n.type)) logger.warn({ notification: n }, 'status consumer notification');
      else logger.trace({ notification: n }, 'status consumer notification');
    }
  };

  const pause = async (): Promise<void> => {
    try {
      await sleep(restartDelayMs, undefined, { signal: stopping.signal });
    } catch {
      // Aborted by stopIntake(): the loop condition ends the loop.
    }
  };

  /** Handles one batch: every event the pull request brings, at most `concurrency` at a time. */
  const handleBatch = async (batch: ConsumerMessages): Promise<void> => {
    logNotifications(batch).catch((error: unknown) => {
      logger.debug({ err: error }, 'status consumer notifications ended');
    });
    for await (const m of batch) {
      // Bounded: the next event is taken only when a slot is free.
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      metrics.inFlight.inc();
      const job = handleStatus(m, options)
        .catch((error: unknown) => {
          // A bug, not a handling failure: the event stays unacked and comes back after ack_wait.
          logger.error({ err: error, stream_seq: m.seq }, 'unexpected error while handling a status event');
        })
        .finally(() => {
          inFlight.delete(job);
          metrics.inFlight.dec();
        });
      inFlight.add(job);
    }
  };

  const run = async (): Promise<void> => {
    let consumer: Consumer | undefined;
    while (!stopped()) {
      try {
        consumer ??= await js.consumers.get(StreamName.status, ConsumerName.dlrDispatcher);
        await handleBatch(await consumer.fetch({ max_messages: batchSize, expires: pullExpiresMs }));
      } catch (error) {
        // A lost connection or a missing consumer: look the consumer up again after a pause.
        consumer = undefined;
        logger.error(
          { err: error, delay_ms: restartDelayMs },
          'pulling status events failed; pulling again shortly',
        );
        await pause();
      }
    }
    intakeEnded();
    // handleStatus never rejects, so this waits for every job to settle its event.
    await Promise.all(inFlight);
  };

  const loop = run();
  logger.info(
    { batch_size: batchSize, concurrency, pull_expires_ms: pullExpiresMs },
    'dispatcher pulling status events',
  );

  return {
    async stopIntake() {
      if (!stopped()) {
        stopping.abort();
        logger.info({ in_flight: inFlight.size }, 'dispatcher intake stopping');
      }
      await intakeDone;
    },
    async drained() {
      await loop;
      logger.info('dispatcher drained: every received status event is settled');
    },
    get inFlight() {
      return inFlight.size;
    },
  };
}
