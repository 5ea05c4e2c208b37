import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import {
  StreamName,
  ensureConsumer,
  simConsumerSpec,
  type ResolvedTopologyOptions,
  type RetryPolicy,
  type StallWatchContext,
} from '@smsgw/nats';
import { MessageState, SimPendingSchema } from '@smsgw/proto';
import type { Counter, DurationRangeMs } from '@smsgw/runtime';
import type { Delivery, Driver, DriverContext } from '../driver.ts';
import { OwedAnswers } from './owed-answers.ts';
import { drawLatencyMs } from './sim-latency.ts';
import { simBatchSpanMs, startSimNetwork, type SimNetwork } from './sim-network.ts';
import { simOutcomeOf } from './sim-outcome.ts';

/** Where the simulated network keeps the answers it owes (SMS_SIM). */
export interface SimNetworkStore {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** The connector's name: subject `sms.sim.<connector>`, consumer `sim-<connector>`. */
  readonly connector: string;
  readonly topology: ResolvedTopologyOptions;
  /** Back-off of an answer whose status event could not be stored. */
  readonly retry: RetryPolicy;
  /** Counts what became of each message handed over (smsgw_connector_sim_accepted_total). */
  readonly accepted?: Counter<'outcome'>;
  /** When given, the answers' consumer is watched for stranded messages (@smsgw/nats StallWatch). */
  readonly stallWatch?: StallWatchContext;
}

/** Options of the simulated network. */
export interface SimDriverOptions {
  /** How long the network takes before its final answer (CONNECTOR_SIM_DELAY), drawn per message; 0 answers at once. */
  readonly latency: DurationRangeMs;
  /** Where answers wait; required unless latency is 0. */
  readonly store?: SimNetworkStore;
  /** The clock (tests). */
  readonly now?: () => number;
}

/**
 * The built-in network simulator (README "The `sim` driver"). It accepts every
 * message at once: with a latency, it stores the answer it owes in SMS_SIM
 * (with the other answers of its turn, owed-answers.ts), then reports ENROUTE
 * and resolves, and the message leaves its lane; the answer
 * is given when due by the network side (sim-network.ts), whatever became of
 * this replica meanwhile. With latency 0 it answers inside `send` (no stored
 * state: the message leaves its lane only after its final status is stored).
 * A number that never answers gets ENROUTE only.
 */
export function createSimDriver(options: SimDriverOptions): Driver {
  const { latency, store } = options;
  const now = options.now ?? Date.now;
  const immediate = latency.maxMs === 0;
  if (!immediate && store === undefined) {
    throw new TypeError('a sim with a latency needs a store for its answers');
  }
  let network: SimNetwork | undefined;
  const owed =
    immediate || store === undefined ? undefined : new OwedAnswers(store, simBatchSpanMs(store.topology));

  return {
    kind: 'sim',
    async start(context: DriverContext): Promise<void> {
      if (immediate || store === undefined) return;
      await ensureConsumer(store.jsm, StreamName.sim, simConsumerSpec(store.connector, store.topology), {
        update: true,
      });
      network = startSimNetwork({
        js: store.js,
        connector: store.connector,
        topology: store.topology,
        context,
        retry: store.retry,
        now,
        ...(store.stallWatch === undefined ? {} : { stallWatch: store.stallWatch }),
        ...(store.accepted === undefined ? {} : { accepted: store.accepted }),
      });
    },
    async send(delivery: Delivery): Promise<void> {
      const outcome = simOutcomeOf(delivery.submit.destination?.addr ?? '');
      if (outcome.answer === 'final' && owed !== undefined) {
        const answerAt = timestampFromMs(now() + drawLatencyMs(latency));
        await owed.owe(
          create(SimPendingSchema, { envelope: delivery.envelope, answerAt }),
          delivery.envelope.messageId,
        );
        // The network has it and its answer is stored: a failed ENROUTE publish must not send it again.
        delivery.accepted();
      } else if (outcome.answer === 'none') {
        // A number that never answers: the network took it, and there is nothing more to store.
        delivery.accepted();
      }
      await delivery.report({ messageState: MessageState.ENROUTE });
      if (outcome.answer === 'none' || !immediate) return;
      delivery.signal.throwIfAborted();
      await delivery.report(outcome.status);
    },
    async close(): Promise<void> {
      await network?.stop();
    },
  };
}
