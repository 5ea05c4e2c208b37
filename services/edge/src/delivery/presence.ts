/**
 * Receiver presence (docs/architecture.md): while this pod holds a receiver or
 * transceiver bind of an account, the presence bucket has the key
 * `<account>.<pod>` (presenceKey) naming where to deliver its DLRs. The key is
 * put on the first such bind, re-put every third of the bucket TTL (the TTL
 * removes it if this pod dies), and deleted at once on the last unbind or
 * disconnect, and on shutdown.
 *
 * Value: @smsgw/nats's presence value (`{"pod","grpcAddress","receivers","updatedAt"}`), read by the DLR dispatcher.
 */
import type { KV } from '@nats-io/kv';
import { encodePresenceValue, presenceKey } from '@smsgw/nats';
import type { Logger } from '@smsgw/runtime';

/** Options of Presence. */
export interface PresenceOptions {
  /** The presence bucket. */
  readonly kv: KV;
  /** This pod's name (the key's second token). */
  readonly pod: string;
  /** Where the DLR dispatcher reaches this pod (gRPC EdgeDelivery). */
  readonly grpcAddress: string;
  /** The bucket's TTL in ms; keys are refreshed every third of it. */
  readonly ttlMs: number;
  readonly logger: Logger;
}

/** Presence leases of the accounts this pod holds receivers of. */
export class Presence {
  readonly #options: PresenceOptions;
  readonly #receivers = new Map<string, number>();
  /** Per-key chain of KV writes, so that a put and the delete after it reach the server in order. */
  readonly #writes = new Map<string, Promise<void>>();
  readonly #timer: NodeJS.Timeout;
  #withdrawn = false;

  constructor(options: PresenceOptions) {
    this.#options = options;
    this.#timer = setInterval(
      () => {
        this.#refreshAll();
      },
      Math.max(1, Math.floor(options.ttlMs / 3)),
    );
    this.#timer.unref();
  }

  /** Accounts announced now. */
  get accounts(): ReadonlySet<string> {
    return new Set(this.#receivers.keys());
  }

  /** How many accounts this pod advertises receivers for now (0 once withdrawn): the edge_presence_accounts gauge. */
  get advertised(): number {
    return this.#withdrawn ? 0 : this.#receivers.size;
  }

  /** A receiver of `account` bound here; announces the account on the first one. */
  hold(account: string): void {
    if (this.#withdrawn) return;
    const count = (this.#receivers.get(account) ?? 0) + 1;
    this.#receivers.set(account, count);
    if (count === 1) this.#write(account, 'put');
  }

  /** A receiver of `account` left; withdraws the account with its last one. */
  release(account: string): void {
    const count = this.#receivers.get(account);
    if (count === undefined) return;
    if (count > 1) {
      this.#receivers.set(account, count - 1);
      return;
    }
    this.#receivers.delete(account);
    if (!this.#withdrawn) this.#write(account, 'delete');
  }

  /** Shutdown: stops refreshing and deletes every key of this pod; nothing is announced afterwards. */
  async withdrawAll(): Promise<void> {
    if (this.#withdrawn) return;
    this.#withdrawn = true;
    clearInterval(this.#timer);
    for (const account of this.#receivers.keys()) this.#write(account, 'delete', true);
    await this.settled();
  }

  /** Resolves when every KV write started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#writes.size > 0) await Promise.all([...this.#writes.values()]);
  }

  #refreshAll(): void {
    if (this.#withdrawn) return;
    for (const account of this.#receivers.keys()) this.#write(account, 'put');
  }

  #write(account: string, op: 'put' | 'delete', force = false): void {
    const { kv, pod, grpcAddress, logger } = this.#options;
    const key = presenceKey(account, pod);
    const previous = this.#writes.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      try {
        if (op === 'delete') {
          // Skip a delete overtaken by a new hold (the put already queued after it keeps the key).
          if (!force && this.#receivers.has(account)) return;
          await kv.delete(key);
          logger.info({ account }, 'presence withdrawn');
          return;
        }
        const receivers = this.#receivers.get(account);
        if (receivers === undefined || this.#withdrawn) return;
        const value = encodePresenceValue({
          pod,
          grpcAddress,
          receivers,
          updatedAt: new Date().toISOString(),
        });
        await kv.put(key, value);
      } catch (error) {
        // The TTL bounds a missed delete; the next refresh repairs a missed put.
        logger.warn({ err: error, account, op }, 'presence write failed');
      }
    });
    this.#writes.set(key, next);
    void next.then(() => {
      if (this.#writes.get(key) === next) this.#writes.delete(key);
    });
  }
}
