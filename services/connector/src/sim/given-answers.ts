/**
 * The sim network's memory of the answers it gave lately, to count a message
 * it owed twice: once stored in two different SMS_SIM batches, it was handed
 * to the network twice (smsgw_connector_sim_accepted_total{outcome="repeat"}).
 * Before answers were batched, JetStream's duplicate window caught that at
 * store time (Nats-Msg-Id = message id); a batch has an id of its own, so the
 * network side counts it when it gives the second answer. A batch given again
 * (nak'ed after a status could not be stored, or given back at a stop) owes
 * the same answers again and is not a repeat: each answer is remembered with
 * the stream sequence of the batch that owed it.
 */

/** Answers remembered at most: the oldest are forgotten first (about 100 bytes each). */
export const GIVEN_ANSWERS_MAX = 100_000;

/** Message ids of recent answers and the batch (stream sequence) each came from. */
export class GivenAnswers {
  readonly #max: number;
  readonly #batchOf = new Map<string, number>();

  constructor(max = GIVEN_ANSWERS_MAX) {
    this.#max = max;
  }

  /** Records that `messageId`'s answer came from batch `seq`; true when another batch had owed it already. */
  given(messageId: string, seq: number): boolean {
    const before = this.#batchOf.get(messageId);
    // Re-inserted so that the map's order stays oldest first.
    this.#batchOf.delete(messageId);
    this.#batchOf.set(messageId, seq);
    if (this.#batchOf.size > this.#max) {
      const oldest = this.#batchOf.keys().next();
      if (oldest.done !== true) this.#batchOf.delete(oldest.value);
    }
    return before !== undefined && before !== seq;
  }
}
