/**
 * The sim's network side: answers it accepted and owes, read back from SMS_SIM
 * (consumer `sim-<connector>`, shared by the connector's replicas) and given
 * as status events once due (docs/architecture.md, "The sim network").
 *
 * A stored message holds the answers of one turn's hand-overs (a
 * SimPendingBatch, owed-answers.ts; a single SimPending from an older
 * connector is read as a batch of one). A batch whose first answer is due
 * within half the ack wait is held, each answer given at its own time by a
 * timer, and acked once all are given; a later one is nak'ed with the delay
 * until its first answer is due, so nothing outlives its ack wait in memory,
 * and the batches held at once are bounded (HELD_BATCHES_DIVISOR). A batch
 * with an answer whose status event cannot be stored is nak'ed whole and comes
 * back after a back-off: its answers are given again (those already stored are
 * dropped as repeats by SMS_STATUS's duplicate window), the message is never
 * sent again. A replica killed meanwhile leaves its batches unacked; another
 * replica (or the restarted one) gives them after the ack wait.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { timestampMs } from '@bufbuild/protobuf/wkt';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import {
  StreamName,
  simConsumerName,
  startPullWorker,
  type PullWorker,
  type ResolvedTopologyOptions,
  retryDelayMs,
  type RetryPolicy,
  type StallWatchContext,
} from '@smsgw/nats';
import { nextTurn, type Counter } from '@smsgw/runtime';
import { SimPendingBatchSchema, SimPendingSchema, type MessageEnvelope, type SimPending } from '@smsgw/proto';
import type { DriverContext } from '../driver.ts';
import { DueTimers } from './due-timers.ts';
import { GivenAnswers } from './given-answers.ts';
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
  /** Counts a message owed twice as `repeat` (smsgw_connector_sim_accepted_total; given-answers.ts). */
  readonly accepted?: Counter<'outcome'>;
}

/** The running network side. */
export interface SimNetwork {
  /** Stops taking answers; answers held are given back at once (nak) for another replica, then it resolves. */
  stop(): Promise<void>;
  /** Batches of answers held now (waiting for their time, or being reported). */
  readonly held: number;
}

/**
 * The longest time between the first and the last answer of one stored batch
 * (owed-answers.ts): half the hold, so that a batch taken when its first
 * answer is due within the hold has its last one due within 1.5 holds, three
 * quarters of the ack wait.
 */
export function simBatchSpanMs(topology: ResolvedTopologyOptions): number {
  return Math.floor(holdMsOf(topology) / 2);
}

/** How far ahead of its time an answer is held in memory: half the consumer's ack wait. */
function holdMsOf(topology: ResolvedTopologyOptions): number {
  return Math.floor(topology.sim.ackWaitMs / 2);
}

/**
 * The network side holds at most max_ack_pending / 8 batches at once. A batch
 * holds at most SIM_BATCH_MAX (32) answers, so at most 4 × max_ack_pending
 * answers are in memory; a quiet connector, whose batches hold one answer
 * each, can still hold thousands.
 */
const HELD_BATCHES_DIVISOR = 8;

/** The answers of one SMS_SIM message: a batch, or a single SimPending stored by an older connector. */
export function decodeSimAnswers(data: Uint8Array): SimPending[] {
  const batch = fromBinary(SimPendingBatchSchema, data);
  if (batch.answers.length > 0) return batch.answers;
  return [fromBinary(SimPendingSchema, data)];
}

/** Starts giving the sim's answers as they come due. */
export function startSimNetwork(options: SimNetworkOptions): SimNetwork {
  const { context, retry, topology } = options;
  const now = options.now ?? Date.now;
  const logger = context.logger.child({ component: 'sim-network' });
  const holdMs = holdMsOf(topology);
  const stopping = new AbortController();
  const timers = new DueTimers();
  const recent = new GivenAnswers();

  /** Gives one answer of batch `seq` once due; false when it could not be stored (or the network is stopping). */
  const give = async (pending: SimPending, envelope: MessageEnvelope, seq: number): Promise<boolean> => {
    const dueInMs = (pending.answerAt === undefined ? 0 : timestampMs(pending.answerAt)) - now();
    // Not once stopping: an answer that arrives with the last pull goes back at once, not when due.
    if (dueInMs > 0 && !stopping.signal.aborted) {
      await new Promise<void>((resolve) => {
        timers.add(dueInMs, resolve);
      });
    }
    if (stopping.signal.aborted) return false;
    const outcome = simOutcomeOf(envelope.destination?.addr ?? '');
    try {
      if (outcome.answer === 'final') await context.report(envelope, outcome.status);
      if (recent.given(envelope.messageId, seq)) options.accepted?.inc({ outcome: 'repeat' });
      return true;
    } catch (err) {
      logger.warn({ err, message_id: envelope.messageId }, 'sim answer not stored; retrying it later');
      return false;
    }
  };

  const handle = async (m: JsMsg): Promise<void> => {
    let answers: SimPending[];
    try {
      answers = decodeSimAnswers(m.data);
    } catch (err) {
      logger.error({ err, stream_seq: m.seq }, 'undecodable sim answer: terminated');
      m.term();
      return;
    }
    const given: { pending: SimPending; envelope: MessageEnvelope }[] = [];
    for (const pending of answers) {
      if (pending.envelope === undefined) {
        logger.error({ stream_seq: m.seq }, 'sim answer without its message: dropped');
        continue;
      }
      given.push({ pending, envelope: pending.envelope });
    }
    if (given.length === 0) {
      m.term();
      return;
    }
    // Not held before its first answer is nearly due (the sender keeps a batch's answers close in time).
    const firstDueInMs =
      Math.min(
        ...given.map(({ pending }) => (pending.answerAt === undefined ? 0 : timestampMs(pending.answerAt))),
      ) - now();
    if (firstDueInMs > holdMs) {
      m.nak(firstDueInMs);
      return;
    }
    const stored = await Promise.all(given.map(({ pending, envelope }) => give(pending, envelope, m.seq)));
    if (stopping.signal.aborted) {
      m.nak(0); // stopping: another replica (or this one, restarted) gives them now
      return;
    }
    if (stored.includes(false)) {
      // Given again whole: the answers already stored are dropped as repeats by SMS_STATUS's duplicate window.
      m.nak(retryDelayMs(retry, m.info.deliveryCount));
      return;
    }
    // With the other answers of this turn: their acks share one write (@smsgw/runtime nextTurn).
    await nextTurn();
    m.ack();
  };

  const worker: PullWorker = startPullWorker({
    js: options.js,
    stream: StreamName.sim,
    consumer: simConsumerName(options.connector),
    batchSize: options.batchSize ?? 256,
    concurrency: Math.max(1, Math.floor(topology.sim.maxAckPending / HELD_BATCHES_DIVISOR)),
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
