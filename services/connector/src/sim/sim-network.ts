/**
 * The sim's network side: answers it accepted and owes, read back from SMS_SIM
 * (consumer `sim-<connector>`, shared by the connector's replicas) and given
 * as status events once due (docs/architecture.md, "The sim network").
 *
 * An answer due within half the ack wait is held with a timer; a later one is
 * nak'ed with the delay until it is due, so nothing outlives its ack wait in
 * memory and the consumer's max_ack_pending bounds what is held. An answer
 * whose status event cannot be stored is nak'ed and comes back after a
 * back-off: the status is retried on its own, the message is never sent again.
 * A replica killed meanwhile leaves its answers unacked; another replica (or
 * the restarted one) gives them after the ack wait.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { timestampMs } from '@bufbuild/protobuf/wkt';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import {
  StreamName,
  nextTurn,
  simConsumerName,
  startPullWorker,
  type PullWorker,
  type ResolvedTopologyOptions,
  type StallWatchContext,
} from '@smsgw/nats';
import { SimPendingSchema, type SimPending } from '@smsgw/proto';
import type { DriverContext } from '../driver.ts';
import { retryDelayMs, type RetryPolicy } from '../retry-delay.ts';
import { DueTimers } from './due-timers.ts';
import { simOutcomeOf } from './sim-outcome.ts';

/** Options of startSimNetwork. */
export interface SimNetworkOptions {
  readonly js: JetStreamClient;
  /** The connector's name: its consumer is `sim-<connector>` (created by the driver's start). */
  readonly connector: string;
  /** The topology options: the consumer's ack wait and max_ack_pending. */
  readonly topology: ResolvedTopologyOptions;
  /** Where answers go. */
  readonly context: DriverContext;
  /** Back-off of an answer whose status event could not be stored. */
  readonly retry: RetryPolicy;
  /** Messages asked for per pull (default 256). */
  readonly batchSize?: number;
  /** How long one pull waits (default 5 s). */
  readonly pullExpiresMs?: number;
  /** The clock (tests). */
  readonly now?: () => number;
  /** When given, the answers' consumer is watched for stranded messages (@smsgw/nats StallWatch). */
  readonly stallWatch?: StallWatchContext;
}

/** The running network side. */
export interface SimNetwork {
  /** Stops taking answers; answers held are given back at once (nak) for another replica, then it resolves. */
  stop(): Promise<void>;
  /** Answers held now (waiting for their time, or being reported). */
  readonly held: number;
}

/** Starts giving the sim's answers as they come due. */
export function startSimNetwork(options: SimNetworkOptions): SimNetwork {
  const { context, retry, topology } = options;
  const now = options.now ?? Date.now;
  const logger = context.logger.child({ component: 'sim-network' });
  const holdMs = Math.floor(topology.sim.ackWaitMs / 2);
  const stopping = new AbortController();
  const timers = new DueTimers();

  const handle = async (m: JsMsg): Promise<void> => {
    let pending: SimPending;
    try {
      pending = fromBinary(SimPendingSchema, m.data);
    } catch (err) {
      logger.error({ err, stream_seq: m.seq }, 'undecodable sim answer: terminated');
      m.term();
      return;
    }
    const envelope = pending.envelope;
    if (envelope === undefined) {
      logger.error({ stream_seq: m.seq }, 'sim answer without its message: terminated');
      m.term();
      return;
    }
    const dueInMs = (pending.answerAt === undefined ? 0 : timestampMs(pending.answerAt)) - now();
    if (dueInMs > holdMs) {
      m.nak(dueInMs);
      return;
    }
    // Not once stopping: an answer that arrives with the last pull goes back at once, not when due.
    if (dueInMs > 0 && !stopping.signal.aborted) {
      await new Promise<void>((resolve) => {
        timers.add(dueInMs, resolve);
      });
    }
    if (stopping.signal.aborted) {
      m.nak(0); // stopping: another replica (or this one, restarted) gives it now
      return;
    }
    const outcome = simOutcomeOf(envelope.destination?.addr ?? '');
    try {
      if (outcome.answer === 'final') await context.report(envelope, outcome.status);
    } catch (err) {
      const delayMs = retryDelayMs(m.info.deliveryCount, retry);
      logger.warn(
        { err, message_id: envelope.messageId, delivery_count: m.info.deliveryCount, delay_ms: delayMs },
        'sim answer not stored; retrying it later',
      );
      m.nak(delayMs);
      return;
    }
    // With the other answers of this turn: their acks share one write (@smsgw/nats nextTurn).
    await nextTurn();
    m.ack();
  };

  const worker: PullWorker = startPullWorker({
    js: options.js,
    stream: StreamName.sim,
    consumer: simConsumerName(options.connector),
    batchSize: options.batchSize ?? 256,
    concurrency: topology.sim.maxAckPending,
    ...(options.pullExpiresMs === undefined ? {} : { pullExpiresMs: options.pullExpiresMs }),
    handle: async (m) => {
      try {
        await handle(m);
      } catch (err) {
        // ack/nak/term only throw when the connection is gone: the server redelivers after the ack wait.
        logger.warn({ err, stream_seq: m.seq }, 'could not settle a sim answer; it will be redelivered');
      }
    },
    logger,
    name: 'sim network',
    ...(options.stallWatch === undefined ? {} : { stallWatch: options.stallWatch }),
  });

  return {
    get held() {
      return worker.inFlight;
    },
    async stop() {
      // The open pull ends first: an answer given back while it is open would come straight back to it.
      await worker.stopIntake();
      stopping.abort();
      timers.flush();
      await worker.drained();
    },
  };
}
