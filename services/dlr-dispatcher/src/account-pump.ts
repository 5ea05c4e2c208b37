/**
 * Drains one account's DLR backlog while the account has receivers bound
 * somewhere: its four backlog lanes (`dlr-<account>` on SMS_DLR for priority
 * 0, `dlr-<account>-p<prio>` on SMS_DLR_PRIORITY above it; created on start,
 * shared by every dispatcher replica pulling for the account, so each report
 * goes to one replica at a time) read into small buffers and served by
 * priority with a share for the lower lanes (@smsgw/nats PriorityLanes;
 * docs/architecture.md, "Priority end to end"): a higher-priority report
 * never waits behind lower ones already in the backlog. No more reports are
 * taken than the account's pods have window for (twice their window in hand
 * at most: one window at the edges, as much again waiting for room), and each
 * is handed to pushReport.
 *
 * The pusher starts a pump when an account's first receiver appears and stops
 * it when the last one goes: an account without receivers has no pump, so its
 * backlog costs nothing (no polling, no nak loop) until one binds. stop()
 * closes the pulls and naks what is buffered (others get it at once, not
 * after ack_wait), then waits for every report in hand to be settled.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import {
  PriorityLanes,
  dlrAccountLanes,
  type LaneSource,
  type Priority,
  type StallWatchContext,
} from '@smsgw/nats';
import type { Logger } from '@smsgw/runtime';
import { pushReport, type PushDeps } from './push-report.ts';

/** What an AccountPump needs. */
export interface AccountPumpOptions extends PushDeps {
  readonly account: string;
  readonly js: JetStreamClient;
  /** Creates (or updates, as owner) the account's consumer of one priority and returns its durable name. */
  readonly ensureConsumer: (jsm: JetStreamManager, account: string, priority: Priority) => Promise<string>;
  /** The account's window over its reachable pods: free slots plus reports on their way or being delivered. */
  readonly window: () => number;
  /** Told when a report of this pump is settled (its in-flight count, hence the pull threshold, changed). */
  readonly settledOne?: () => void;
  /** Resolves at the next change of room (a result, a credit, a presence change), or after maxWaitMs. */
  readonly changed: (maxWaitMs: number) => Promise<void>;
  /** Reports each lane pulls ahead. */
  readonly batchSize: number;
  /** How long one pull waits for reports (ms). */
  readonly pullExpiresMs: number;
  /** Pause after a failed pull (ms). */
  readonly restartDelayMs: number;
  /** A lower lane gets one report in this many while it waits behind a busy higher one (0: strict; default 0). */
  readonly lowerLaneEvery?: number;
  /** When given, the lanes are watched for stranded messages (@smsgw/nats StallWatch). */
  readonly stallWatch?: StallWatchContext;
  /** How often buffered reports get their ack wait extended (ms; default 10 s, well inside DLR_ACCOUNT_ACK_WAIT's 60 s). */
  readonly touchEveryMs?: number;
  readonly logger: Logger;
}

/** A running backlog pump for one account. */
export class AccountPump {
  readonly #o: AccountPumpOptions;
  readonly #stopping = new AbortController();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #loop: Promise<void>;

  constructor(options: AccountPumpOptions) {
    this.#o = options;
    this.#loop = this.#run();
  }

  /** The account pumped. */
  get account(): string {
    return this.#o.account;
  }

  /** Reports being pushed now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Closes the pulls, gives back what is buffered; resolves when every report in hand is settled. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#loop;
  }

  /** Read through a method: the flag changes across awaits. */
  #stopped(): boolean {
    return this.#stopping.signal.aborted;
  }

  /** Resolves after `ms`, or at once when stop() is called meanwhile. */
  async #pause(ms: number): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: this.#stopping.signal });
    } catch {
      // Aborted by stop(): the caller's loop condition ends the loop.
    }
  }

  /** Ensures the account's four consumers and reads their pending counts; undefined when stopped first. */
  async #openLanes(): Promise<PriorityLanes | undefined> {
    const { account, logger, js } = this.#o;
    while (!this.#stopped()) {
      try {
        const jsm = await js.jetstreamManager();
        const sources = await Promise.all(
          dlrAccountLanes(account).map(async (lane): Promise<LaneSource> => {
            const durable = await this.#o.ensureConsumer(jsm, account, lane.priority);
            const consumer = await js.consumers.get(lane.stream, durable);
            const info = await consumer.info(true);
            return { priority: lane.priority, consumer, pendingAtStart: info.num_pending };
          }),
        );
        return new PriorityLanes({
          sources,
          prefetch: this.#o.batchSize,
          expiresMs: this.#o.pullExpiresMs,
          logger: logger.child({ account }),
          lowerLaneEvery: this.#o.lowerLaneEvery ?? 0,
          ...(this.#o.stallWatch === undefined ? {} : { stallWatch: this.#o.stallWatch }),
          retryMs: this.#o.restartDelayMs,
        });
      } catch (error) {
        logger.warn({ err: error, account }, 'opening the DLR backlog failed; trying again shortly');
        await this.#pause(this.#o.restartDelayMs);
      }
    }
    return undefined;
  }

  async #run(): Promise<void> {
    const { account, logger } = this.#o;
    logger.info({ account }, 'pumping DLR backlog');
    const lanes = await this.#openLanes();
    if (lanes !== undefined) await this.#pump(lanes);
    // pushReport never rejects: this waits for every report to be acked or nak'ed.
    await Promise.all(this.#inFlight);
    logger.info({ account }, 'stopped pumping DLR backlog');
  }

  /** Takes reports by priority while the account has window for them, until stop(). */
  async #pump(lanes: PriorityLanes): Promise<void> {
    const { account } = this.#o;
    const touch = setInterval(() => {
      lanes.touch();
    }, this.#o.touchEveryMs ?? 10_000);
    touch.unref();
    const stopped = new Promise<void>((resolve) => {
      this.#stopping.signal.addEventListener(
        'abort',
        () => {
          resolve();
        },
        { once: true },
      );
    });
    lanes.start();
    try {
      while (!this.#stopped()) {
        // Twice the window in hand at most: one at the edges, as much again waiting for room there.
        if (this.#inFlight.size >= 2 * this.#o.window()) {
          await Promise.race([this.#o.changed(1_000), stopped]);
          continue;
        }
        const next = lanes.take();
        if (next === undefined) {
          await Promise.race([lanes.changed(), this.#o.changed(1_000), stopped]);
          continue;
        }
        // Its lane's priority: it waits for room ahead of lower-priority reports.
        const job = pushReport(next.message, account, this.#o, next.priority).finally(() => {
          this.#inFlight.delete(job);
          this.#o.settledOne?.();
        });
        this.#inFlight.add(job);
      }
    } finally {
      clearInterval(touch);
      // What is buffered goes back now, for another replica or a later pump.
      lanes.abandon();
      await lanes.closed();
    }
  }
}
