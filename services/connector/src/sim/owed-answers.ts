/**
 * The sim's sending side of SMS_SIM: the answers owed by one event-loop
 * turn's hand-overs are stored together, as SimPendingBatch messages, instead
 * of one message each (docs/architecture.md, "The sim network"). A message
 * stored in SMS_SIM costs a publish, a PubAck, a delivery and an ack, on the
 * connector and on nats-server alike; under load a turn hands over tens of
 * messages, so this is most of what the sim costs per message.
 *
 * Answers are grouped by time: a batch never spans more than `spanMs` from
 * its first answer to its last, so the network side, which holds a batch
 * from its first answer's time until its last one has been given, never
 * holds one past its ack wait. Each caller's promise settles with its
 * batch's publish: resolved once stored, rejected when not (the message is
 * then retried by the worker, as a failed single publish was).
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { timestampMs } from '@bufbuild/protobuf/wkt';
import { StreamName, simSubject } from '@smsgw/nats';
import { SimPendingBatchSchema, type SimPending } from '@smsgw/proto';
import { TurnBatch } from '@smsgw/runtime';
import { ClosedConnectionError, ConnectionError, TimeoutError } from '@nats-io/transport-node';
import type { SimNetworkStore } from './sim-driver.ts';

/**
 * Most answers in one stored batch. The network side holds at most
 * SIM_HELD_BATCHES_PER_ACK_PENDING-th of the consumer's max_ack_pending
 * batches (sim-network.ts), so this bounds the answers in memory.
 */
export const SIM_BATCH_MAX = 32;

/** One owed answer waiting for the end of its turn. */
interface Owed {
  readonly pending: SimPending;
  readonly messageId: string;
  readonly dueMs: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Whether a failed publish may have been stored all the same: no answer in time, or the connection lost under it. */
function unknownOutcome(err: unknown): boolean {
  const isUnknown = (e: unknown): boolean =>
    e instanceof TimeoutError || e instanceof ConnectionError || e instanceof ClosedConnectionError;
  return isUnknown(err) || (err instanceof Error && isUnknown(err.cause));
}

/**
 * The Nats-Msg-Id of a batch: a batch of one keeps its message id, so a
 * message handed over again on its own (a redelivery) owes one answer, as
 * before batches; a larger batch is named by its first and last message and
 * its size.
 */
export function simBatchMsgId(messageIds: readonly string[]): string {
  const first = messageIds[0] ?? '';
  if (messageIds.length === 1) return first;
  return `${first}..${messageIds[messageIds.length - 1] ?? ''}+${messageIds.length}`;
}

/** Splits answers sorted by time into batches of at most `max`, each spanning at most `spanMs`. */
export function groupByTime<T extends { readonly dueMs: number }>(
  sorted: readonly T[],
  spanMs: number,
  max: number,
): T[][] {
  const groups: T[][] = [];
  let group: T[] = [];
  for (const item of sorted) {
    const first = group[0];
    if (first !== undefined && (group.length >= max || item.dueMs - first.dueMs > spanMs)) {
      groups.push(group);
      group = [];
    }
    group.push(item);
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** Stores a turn's owed answers in SMS_SIM together. */
export class OwedAnswers {
  readonly #store: SimNetworkStore;
  readonly #spanMs: number;
  readonly #turn = new TurnBatch<Owed>((items) => {
    this.#storeTurn(items);
  });

  /** `spanMs`: the longest time between the first and the last answer of one batch. */
  constructor(store: SimNetworkStore, spanMs: number) {
    this.#store = store;
    this.#spanMs = spanMs;
  }

  /** Resolves once `pending` is stored (with the rest of its turn); rejects when its batch could not be. */
  owe(pending: SimPending, messageId: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const dueMs = pending.answerAt === undefined ? 0 : timestampMs(pending.answerAt);
      this.#turn.push({ pending, messageId, dueMs, resolve, reject });
    });
  }

  #storeTurn(items: Owed[]): void {
    items.sort((a, b) => a.dueMs - b.dueMs);
    for (const batch of groupByTime(items, this.#spanMs, SIM_BATCH_MAX)) {
      this.#storeBatch(batch).then(
        () => {
          for (const owed of batch) owed.resolve();
        },
        (error: unknown) => {
          for (const owed of batch) owed.reject(error);
        },
      );
    }
  }

  async #storeBatch(batch: readonly Owed[]): Promise<void> {
    const s = this.#store;
    const data = toBinary(
      SimPendingBatchSchema,
      create(SimPendingBatchSchema, { answers: batch.map((owed) => owed.pending) }),
    );
    try {
      const ack = await s.js.publish(simSubject(s.connector), data, {
        msgID: simBatchMsgId(batch.map((owed) => owed.messageId)),
        expect: { streamName: StreamName.sim },
      });
      s.accepted?.inc({ outcome: ack.duplicate ? 'repeat' : 'stored' }, batch.length);
    } catch (err) {
      if (unknownOutcome(err)) s.accepted?.inc({ outcome: 'unknown' }, batch.length);
      throw err;
    }
  }
}
