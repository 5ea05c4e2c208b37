/**
 * Announces in the connectors KV bucket (@smsgw/nats, "Connector health")
 * whether this replica's driver can hand messages over, so that the router
 * fails routes over when no replica of the connector is ready
 * (services/router/README.md, "Routes and failover").
 *
 * Drivers do not signal changes, so `ready()` is polled (every `pollMs`, a
 * cheap synchronous call); the entry is rewritten at once when the answer
 * changes and every third of the bucket's TTL otherwise, and deleted on
 * shutdown. The TTL is the bucket's (the provisioner's, docs/configuration.md
 * "Stream limits"), read again before each periodic rewrite, so a TTL the
 * provisioner changes paces the rewrites without a restart. Writes are sequential, so an older state never overwrites a newer
 * one. A failed write is logged and retried at the next tick.
 */
import { connectorHealthKey, encodeConnectorHealthValue } from '@smsgw/nats';
import type { Gauge, Logger } from '@smsgw/runtime';
import type { Driver } from './driver.ts';

/** What the publisher does with the connectors bucket (a @nats-io/kv KV). */
export interface HealthBucket {
  put(key: string, value: string): Promise<number>;
  delete(key: string): Promise<void>;
}

/** Options of startHealthPublisher. */
export interface HealthPublisherOptions {
  /** The connectors bucket (openConnectorHealthBucket). */
  readonly kv: HealthBucket;
  readonly connector: string;
  /** This replica's pod name (the key's second token). */
  readonly pod: string;
  /** Whose ready() is announced; a driver without one is always ready. */
  readonly driver: Pick<Driver, 'ready' | 'sessions'>;
  /** The bucket's TTL: the entry is rewritten every third of it. */
  readonly ttlMs: number;
  /** Reads the bucket's TTL again (readConnectorHealthTtl), before each periodic rewrite; absent: `ttlMs` stays. */
  readonly readTtlMs?: () => Promise<number>;
  readonly logger: Logger;
  /** 1 while ready, 0 while not. */
  readonly readyGauge?: Gauge;
  /** How often ready() is asked (default 1 s). */
  readonly pollMs?: number;
  /** The clock (default Date.now). */
  readonly now?: () => number;
}

/** A running health publisher. */
export interface HealthPublisher {
  /** What was last announced. */
  readonly ready: boolean;
  /** The TTL the rewrites are paced by (a third of it), as last read from the bucket. */
  readonly ttlMs: number;
  /** Asks the driver now and writes when the answer changed (the poll does it too). */
  check(): Promise<void>;
  /** Stops announcing and deletes the entry (shutdown): the router then counts from now. */
  withdraw(): Promise<void>;
}

/** Writes the first entry and starts polling. */
export async function startHealthPublisher(options: HealthPublisherOptions): Promise<HealthPublisher> {
  const publisher = new Publisher(options);
  await publisher.write();
  publisher.startTimers();
  return publisher;
}

class Publisher implements HealthPublisher {
  readonly #o: HealthPublisherOptions;
  readonly #key: string;
  readonly #now: () => number;
  #ready: boolean;
  #sinceMs: number;
  #lastReadyMs: number | undefined;
  #lastWriteMs = 0;
  #ttlMs: number;
  #writing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #withdrawn = false;

  constructor(options: HealthPublisherOptions) {
    this.#o = options;
    this.#key = connectorHealthKey(options.connector, options.pod);
    this.#now = options.now ?? Date.now;
    this.#ttlMs = options.ttlMs;
    this.#ready = this.#askDriver();
    this.#sinceMs = this.#now();
    if (this.#ready) this.#lastReadyMs = this.#sinceMs;
  }

  get ready(): boolean {
    return this.#ready;
  }

  get ttlMs(): number {
    return this.#ttlMs;
  }

  startTimers(): void {
    this.#timer = setInterval(() => {
      this.check().catch((err: unknown) => {
        this.#o.logger.error({ err }, 'connector health check failed');
      });
    }, this.#o.pollMs ?? 1_000);
    this.#timer.unref();
  }

  async check(): Promise<void> {
    if (this.#withdrawn) return;
    const now = this.#now();
    const ready = this.#askDriver();
    if (this.#ready) this.#lastReadyMs = now;
    if (ready !== this.#ready) {
      this.#o.logger.info(
        { connector: this.#o.connector, ready },
        ready ? 'driver ready' : 'driver not ready',
      );
      this.#ready = ready;
      this.#sinceMs = now;
      await this.write();
    } else if (now - this.#lastWriteMs >= this.#ttlMs / 3) {
      await this.#readTtl();
      await this.write();
    }
  }

  /** Takes the bucket's TTL as it is now; a failed read keeps the last one (logged). */
  async #readTtl(): Promise<void> {
    if (this.#o.readTtlMs === undefined) return;
    try {
      const ttlMs = await this.#o.readTtlMs();
      if (ttlMs === this.#ttlMs || ttlMs <= 0) return;
      this.#o.logger.info(
        { connector: this.#o.connector, ttlMs, previousTtlMs: this.#ttlMs },
        'the connectors bucket TTL changed: health entries are rewritten every third of it',
      );
      this.#ttlMs = ttlMs;
    } catch (err) {
      this.#o.logger.warn({ err }, 'could not read the connectors bucket TTL; the last one stays');
    }
  }

  /** Queues a write of the current state after the ones before it. */
  write(): Promise<void> {
    this.#writing = this.#writing.then(() => this.#put());
    return this.#writing;
  }

  async withdraw(): Promise<void> {
    this.#withdrawn = true;
    clearInterval(this.#timer);
    await this.#writing;
    await this.#o.kv.delete(this.#key);
  }

  async #put(): Promise<void> {
    if (this.#withdrawn) return;
    const now = this.#now();
    const value = encodeConnectorHealthValue({
      pod: this.#o.pod,
      ready: this.#ready,
      since: new Date(this.#sinceMs).toISOString(),
      ...(this.#lastReadyMs === undefined ? {} : { lastReadyAt: new Date(this.#lastReadyMs).toISOString() }),
      ttlMs: this.#ttlMs,
      updatedAt: new Date(now).toISOString(),
      ...(this.#o.driver.sessions === undefined ? {} : { sessions: this.#o.driver.sessions() }),
    });
    try {
      await this.#o.kv.put(this.#key, value);
      this.#lastWriteMs = now;
      this.#o.readyGauge?.set(this.#ready ? 1 : 0);
    } catch (err) {
      // The next tick writes again (#lastWriteMs unchanged): a lost write only delays what the router sees.
      this.#o.logger.warn({ err, key: this.#key }, 'could not write the connector health entry');
    }
  }

  #askDriver(): boolean {
    return this.#o.driver.ready?.() ?? true;
  }
}
