/**
 * Drains one account's DLR backlog while the account has receivers bound
 * somewhere: a pull loop on its `dlr-<account>` consumer (created on start;
 * every dispatcher replica pulling for the account shares it, so each report
 * goes to one replica at a time) that asks for no more reports than the
 * account's pods have free window (room()), and hands each to pushReport.
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
import { StreamName, endedUnannounced } from '@smsgw/nats';
import type { Logger } from '@smsgw/runtime';
import { pushReport, type PushDeps } from './push-report.ts';

/** What an AccountPump needs. */
export interface AccountPumpOptions extends PushDeps {
  readonly account: string;
  readonly js: JetStreamClient;
  /** Creates (or updates, as owner) the account's consumer and returns its durable name. */
  readonly ensureConsumer: (jsm: JetStreamManager, account: string) => Promise<string>;
  /** Reports the account's pods can take now (sum of free windows); 0 makes the pump wait. */
  readonly room: () => number;
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

  async #run(): Promise<void> {
    const { account, logger } = this.#o;
    let consumer: Consumer | undefined;
    logger.info({ account }, 'pumping DLR backlog');
    while (!this.#stopped()) {
      const room = this.#o.room();
      if (room <= 0) {
        await this.#o.changed(1_000);
        continue;
      }
      try {
        if (consumer === undefined) {
          const jsm = await this.#o.js.jetstreamManager();
          const durable = await this.#o.ensureConsumer(jsm, account);
          consumer = await this.#o.js.consumers.get(StreamName.dlr, durable);
        }
        const batch = await consumer.fetch({
          max_messages: Math.min(room, this.#o.batchSize),
          expires: this.#o.pullExpiresMs,
        });
        for await (const m of batch) {
          const job = pushReport(m, account, this.#o).finally(() => {
            this.#inFlight.delete(job);
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
