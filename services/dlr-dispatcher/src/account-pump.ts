/**
 * Drains one account's DLR backlog while the account has receivers bound
 * somewhere: a pull loop on its `dlr-<account>` consumer (created on start;
 * every dispatcher replica pulling for the account shares it, so each report
 * goes to one replica at a time) that asks for no more reports than the
 * account's pods have window for (twice their window in hand at most: see
 * #wanted), and hands each to pushReport.
 *
 * The pusher starts a pump when an account's first receiver appears and stops
 * it when the last one goes: an account without receivers has no pump, so its
 * backlog costs nothing (no polling, no nak loop) until one binds. stop() lets
 * the current pull end (at most pullExpiresMs; what it brings is pushed, or
 * nak'ed when nobody can take it) rather than abandoning reports the server
 * already sent, which would otherwise wait out ack_wait.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { StreamName, endedUnannounced, pullOptions } from '@smsgw/nats';
import type { Logger } from '@smsgw/runtime';
import { pushReport, type PushDeps } from './push-report.ts';

/** What an AccountPump needs. */
export interface AccountPumpOptions extends PushDeps {
  readonly account: string;
  readonly js: JetStreamClient;
  /** Creates (or updates, as owner) the account's consumer and returns its durable name. */
  readonly ensureConsumer: (jsm: JetStreamManager, account: string) => Promise<string>;
  /** The account's window over its reachable pods: free slots plus reports on their way or being delivered. */
  readonly window: () => number;
  /** Told when a report of this pump is settled (its in-flight count, hence the pull threshold, changed). */
  readonly settledOne?: () => void;
  /** Resolves at the next change of room (a result, a credit, a presence change), or after maxWaitMs. */
  readonly changed: (maxWaitMs: number) => Promise<void>;
  /** Most reports asked for per pull. */
  readonly batchSize: number;
  /** How long one pull waits for reports (ms). */
  readonly pullExpiresMs: number;
  /** Pause after a failed pull (ms). */
  readonly restartDelayMs: number;
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

  /** Asks for no new pull; resolves when the current one has ended and every report it brought is settled. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#loop;
  }

  /** Read through a method: the flag changes across awaits. */
  #stopped(): boolean {
    return this.#stopping.signal.aborted;
  }

  /**
   * How many reports to pull now (0: none yet). The pump keeps up to twice
   * the account's window in hand: one window at the edges, and as much again
   * waiting for room (DeliveryRouting.waitForRoom), so that a slot freed at
   * an edge is filled as soon as its credit arrives instead of after a pull
   * round trip. It tops up once half a window is missing (one pull per freed
   * slot would cost a pull request per report), or at once when it holds
   * nothing, so that a lone report is not held back.
   */
  #wanted(): number {
    const window = this.#o.window();
    const inHand = this.#inFlight.size;
    const wanted = Math.min(this.#o.batchSize, 2 * window - inHand);
    if (wanted <= 0) return 0;
    return inHand === 0 || wanted >= Math.ceil(window / 2) ? wanted : 0;
  }

  async #run(): Promise<void> {
    const { account, logger } = this.#o;
    let consumer: Consumer | undefined;
    logger.info({ account }, 'pumping DLR backlog');
    while (!this.#stopped()) {
      const wanted = this.#wanted();
      if (wanted <= 0) {
        await this.#o.changed(1_000);
        continue;
      }
      try {
        if (consumer === undefined) {
          const jsm = await this.#o.js.jetstreamManager();
          const durable = await this.#o.ensureConsumer(jsm, account);
          consumer = await this.#o.js.consumers.get(StreamName.dlr, durable);
        }
        // A short heartbeat: a pull lost with its consumer leader is noticed within ~2 s (@smsgw/nats pullOptions).
        const batch = await consumer.fetch(pullOptions(wanted, this.#o.pullExpiresMs));
        for await (const m of batch) {
          const job = pushReport(m, account, this.#o).finally(() => {
            this.#inFlight.delete(job);
            this.#o.settledOne?.();
          });
          this.#inFlight.add(job);
        }
      } catch (error) {
        if (endedUnannounced(error)) continue;
        // A lost connection or a consumer deleted for inactivity: ensure it again after a pause.
        consumer = undefined;
        logger.warn({ err: error, account }, 'pulling the DLR backlog failed; pulling again shortly');
        try {
          await sleep(this.#o.restartDelayMs, undefined, { signal: this.#stopping.signal });
        } catch {
          // Aborted by stop(): the loop condition ends the loop.
        }
      }
    }
    // pushReport never rejects: this waits for every report to be acked or nak'ed.
    await Promise.all(this.#inFlight);
    logger.info({ account }, 'stopped pumping DLR backlog');
  }
}
