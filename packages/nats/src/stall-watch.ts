/**
 * A guard against a consumer the server has stopped feeding.
 *
 * After a NATS node hangs or restarts, a clustered consumer can come back in a
 * state where its stream holds messages for it but the consumer reports none
 * pending and none outstanding, and a waiting pull gets nothing: the messages
 * are stranded until its leader changes (seen with nats-server 2.9.10 in the
 * cluster chaos test, and reported against later servers too;
 * docs/operations.md, "Stranded messages"). Every stream of ours has
 * WorkQueue retention, so a message still stored under a consumer's filter is
 * one the consumer has not finished: stored > num_pending + num_ack_pending
 * means some are stranded.
 *
 * The watch looks only while its consumer is idle (nothing received since the
 * last look), so a busy consumer costs nothing and an idle one one stream-info
 * request per interval (plus a consumer info when messages are stored). Two
 * looks in a row that find stranded messages with no delivery between them
 * make it ask for a new consumer leader, the usual remedy; if the next look
 * still finds them, the stream's leader steps down too.
 */
import type { Consumer, ConsumerInfo, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '@smsgw/runtime';

/** How often an idle consumer is looked at by default (ms). */
export const DEFAULT_STALL_CHECK_MS = 15_000;

/** What one look found. */
export interface StallSnapshot {
  /** Messages stored under the consumer's filter. */
  readonly stored: number;
  /** The consumer's num_pending (not yet delivered). */
  readonly pending: number;
  /** The consumer's num_ack_pending (delivered, not yet acked). */
  readonly ackPending: number;
  /** The consumer's delivered stream sequence. */
  readonly delivered: number;
}

/** The remedy a look calls for. */
export type StallAction = 'none' | 'consumer-stepdown' | 'stream-stepdown';

/** The watch's memory between looks. */
export interface StallState {
  /** Looks in a row that found stranded messages with no delivery in between. */
  readonly strikes: number;
  /** The delivered sequence at the last look. */
  readonly delivered: number;
}

/** The state before the first look. */
export const NO_STALL: StallState = { strikes: 0, delivered: -1 };

/** Messages stored for the consumer that it neither holds pending nor has out for an ack. */
export function stranded(s: StallSnapshot): number {
  return Math.max(0, s.stored - s.pending - s.ackPending);
}

/**
 * Decides after one look: the second look in a row with stranded messages and
 * no delivery between them asks for a consumer leader stepdown, the third for
 * a stream leader stepdown, and the count starts over.
 */
export function assessStall(
  previous: StallState,
  s: StallSnapshot,
): { state: StallState; action: StallAction } {
  if (stranded(s) === 0 || (previous.strikes > 0 && s.delivered !== previous.delivered)) {
    return { state: { strikes: stranded(s) === 0 ? 0 : 1, delivered: s.delivered }, action: 'none' };
  }
  const strikes = previous.strikes + 1;
  if (strikes === 2) return { state: { strikes, delivered: s.delivered }, action: 'consumer-stepdown' };
  if (strikes >= 3) return { state: { strikes: 0, delivered: s.delivered }, action: 'stream-stepdown' };
  return { state: { strikes, delivered: s.delivered }, action: 'none' };
}

/** The subjects a consumer reads (none: the whole stream). */
function filtersOf(info: ConsumerInfo): string[] {
  const { filter_subject: one, filter_subjects: many } = info.config;
  if (many !== undefined && many.length > 0) return many;
  return one === undefined || one === '' ? [] : [one];
}

/** Reads what one look needs from the server: stored messages under the filter, then the consumer's counts. */
export async function snapshotConsumer(
  jsm: JetStreamManager,
  consumer: Consumer,
): Promise<{ info: ConsumerInfo; snapshot: StallSnapshot } | undefined> {
  const cached = await consumer.info(true);
  const filters = filtersOf(cached);
  let stored = 0;
  if (filters.length === 0) {
    stored = (await jsm.streams.info(cached.stream_name)).state.messages;
  } else {
    for (const filter of filters) {
      const state = (await jsm.streams.info(cached.stream_name, { subjects_filter: filter })).state;
      for (const count of Object.values(state.subjects ?? {})) stored += count;
    }
  }
  // Nothing stored: nothing can be stranded, and the consumer info is not needed.
  if (stored === 0) return undefined;
  const info = await consumer.info();
  return {
    info,
    snapshot: {
      stored,
      pending: info.num_pending,
      ackPending: info.num_ack_pending,
      delivered: info.delivered.stream_seq,
    },
  };
}

/** What a StallWatch talks to NATS with. */
export interface StallWatchContext {
  readonly jsm: JetStreamManager;
  /** The connection the stepdown requests go out on. */
  readonly nc: NatsConnection;
  /** How often an idle consumer is looked at (ms; default 15 s). */
  readonly intervalMs?: number;
}

/** Options of a StallWatch. */
export interface StallWatchOptions extends StallWatchContext {
  readonly consumer: Consumer;
  readonly logger: Logger;
}

/** Watches one consumer for stranded messages while it is idle; see the module comment. */
export class StallWatch {
  readonly #o: StallWatchOptions;
  #state: StallState = NO_STALL;
  #progressed = false;
  #timer: NodeJS.Timeout | undefined;
  #looking = false;

  constructor(options: StallWatchOptions) {
    this.#o = options;
  }

  /** Starts looking every interval. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      void this.look();
    }, this.#o.intervalMs ?? DEFAULT_STALL_CHECK_MS);
    this.#timer.unref();
  }

  /** Stops looking. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Read through a method: the flag changes across awaits. */
  #deliveredMeanwhile(): boolean {
    return this.#progressed;
  }

  /** Told on every message received: a consumer that delivers is not stalled. */
  progressed(): void {
    this.#progressed = true;
  }

  /** One look (on the timer; public for tests). Never rejects: a failed look is logged and tried next time. */
  async look(): Promise<StallAction> {
    if (this.#looking) return 'none';
    if (this.#progressed) {
      this.#progressed = false;
      this.#state = NO_STALL;
      return 'none';
    }
    this.#looking = true;
    const { jsm, consumer, logger } = this.#o;
    try {
      const found = await snapshotConsumer(jsm, consumer);
      // Messages came meanwhile, or nothing is stored: not stalled.
      if (found === undefined || this.#deliveredMeanwhile()) {
        this.#state = NO_STALL;
        return 'none';
      }
      const { state, action } = assessStall(this.#state, found.snapshot);
      this.#state = state;
      if (action === 'none') return action;
      const stream = found.info.stream_name;
      const name = found.info.name;
      const fields = {
        stream,
        consumer: name,
        stranded: stranded(found.snapshot),
        ...found.snapshot,
        action,
      };
      logger.warn(fields, 'consumer holds stranded messages; asking NATS for a new leader');
      // The API prefix of the JetStream context (a domain changes it).
      const prefix = jsm.getOptions().apiPrefix ?? '$JS.API';
      const subject =
        action === 'consumer-stepdown'
          ? `${prefix}.CONSUMER.LEADER.STEPDOWN.${stream}.${name}`
          : `${prefix}.STREAM.LEADER.STEPDOWN.${stream}`;
      await this.#o.nc.request(subject, undefined, { timeout: 5_000 });
      return action;
    } catch (error) {
      logger.warn({ err: error }, 'looking for stranded messages failed; trying again later');
      return 'none';
    } finally {
      this.#looking = false;
    }
  }
}
