/**
 * The router's intake: a pull loop on the shared `router` durable of
 * SMS_SUBMIT (every replica pulls from the same one; the server hands each
 * submit to one of them), batched (each fetch() asks for up to batchSize
 * submits and lasts at most pullExpiresMs) and bounded (at most `concurrency`
 * submits routed at once; the loop takes no more from the batch, and asks for
 * no new batch, until one finishes).
 *
 * fetch() rather than consume(): a fetch ends when the server says its pull
 * request is complete (batch delivered, or expired), so when intake stops
 * after the current fetch no submit can still be on its way to this replica.
 * Closing a consume() drops what the server already sent, and those submits
 * would wait out ack_wait before another replica got them.
 *
 * Shutdown is two steps: stopIntake() asks for no new batch (the current one
 * ends within pullExpiresMs, and its submits are still routed), drained()
 * resolves once every received submit is settled (acked, nak'ed, terminated).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, ConsumerMessages } from '@nats-io/jetstream';
import { ConsumerName, StreamName } from '@smsgw/nats';
import { handleSubmit, type SubmitHandlerDeps } from './handle-submit.ts';
import { WarningLimiter } from './warning-limiter.ts';

/** What startRouterWorker needs: the handler's dependencies plus the intake bounds. */
export interface RouterWorkerOptions extends SubmitHandlerDeps {
  /** Submits requested per pull (fetch max_messages). */
  readonly batchSize: number;
  /** How long one pull request waits for submits (fetch expires, at least 1 s; default 5 s); bounds how long stopIntake takes. */
  readonly pullExpiresMs?: number;
  /** Submits routed at the same time. */
  readonly concurrency: number;
  /** Pause before pulling again after a pull failed (default 1 s). */
  readonly restartDelayMs?: number;
}

/** A running intake loop. */
export interface RouterWorker {
  /** Asks for no new batch and resolves when the current pull request has ended; its submits are still routed. Idempotent. */
  stopIntake(): Promise<void>;
  /** Resolves when intake has stopped and every received submit is settled. */
  drained(): Promise<void>;
  /** Submits being routed right now. */
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

/** Starts routing submits from the router consumer; see the module comment. */
export function startRouterWorker(options: RouterWorkerOptions): RouterWorker {
  const { js, logger, metrics, batchSize, concurrency } = options;
  const deps = { ...options, unknownAccountWarnings: options.unknownAccountWarnings ?? new WarningLimiter() };
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
      if (WARN_NOTIFICATIONS.has(n.type)) logger.warn({ notification: n }, 'router consumer notification');
      else logger.trace({ notification: n }, 'router consumer notification');
    }
  };

  const pause = async (): Promise<void> => {
    try {
      await sleep(restartDelayMs, undefined, { signal: stopping.signal });
    } catch {
      // Aborted by stopIntake(): the loop condition ends the loop.
    }
  };

  /** Routes one batch: every submit the pull request brings, at most `concurrency` at a time. */
  const routeBatch = async (batch: ConsumerMessages): Promise<void> => {
    logNotifications(batch).catch((error: unknown) => {
      logger.debug({ err: error }, 'router consumer notifications ended');
    });
    for await (const m of batch) {
      // Bounded: the next submit is taken only when a slot is free.
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      metrics.inFlight.inc();
      const job = handleSubmit(m, deps)
        .catch((error: unknown) => {
          // A bug, not a routing failure: the submit stays unacked and comes back after ack_wait.
          logger.error({ err: error, stream_seq: m.seq }, 'unexpected error while routing a submit');
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
        consumer ??= await js.consumers.get(StreamName.submit, ConsumerName.router);
        await routeBatch(await consumer.fetch({ max_messages: batchSize, expires: pullExpiresMs }));
      } catch (error) {
        // A lost connection or a missing consumer: look the consumer up again after a pause.
        consumer = undefined;
        logger.error(
          { err: error, delay_ms: restartDelayMs },
          'pulling submits failed; pulling again shortly',
        );
        await pause();
      }
    }
    intakeEnded();
    // handleSubmit never rejects, so this waits for every job to settle its submit.
    await Promise.all(inFlight);
  };

  const loop = run();
  logger.info(
    { batch_size: batchSize, concurrency, pull_expires_ms: pullExpiresMs },
    'router pulling submits',
  );

  return {
    async stopIntake() {
      if (!stopped()) {
        stopping.abort();
        logger.info({ in_flight: inFlight.size }, 'router intake stopping');
      }
      await intakeDone;
    },
    async drained() {
      await loop;
      logger.info('router drained: every received submit is settled');
    },
    get inFlight() {
      return inFlight.size;
    },
  };
}
