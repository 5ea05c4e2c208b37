/**
 * The connector's upstream sessions (CONNECTOR_SMPP_SESSIONS of CONNECTOR_SMPP_BIND_MODE):
 * transceivers, or transmitter + receiver pairs. Picks the least busy
 * transmitting session for each submit and stops them in the drain order
 * (README "Drain"): transmitters first, receivers last.
 */
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@smsgw/runtime';
import type { BindType, InboundRequestPdu, SmppSession } from '@smsgw/smpp';
import type { SmppMetrics } from './smpp-metrics.ts';
import type { SmppSettings } from './smpp-settings.ts';
import { UpstreamLink } from './upstream-link.ts';

/** Options of a SessionPool. */
export interface SessionPoolOptions {
  readonly settings: SmppSettings;
  readonly logger: Logger;
  readonly metrics: SmppMetrics;
  readonly onRequest: (session: SmppSession, pdu: InboundRequestPdu) => void;
}

/** The upstream sessions of one connector replica. */
export class SessionPool {
  readonly #links: UpstreamLink[];
  readonly #settings: SmppSettings;
  readonly #metrics: SmppMetrics;
  readonly #bound = new EventEmitter<{ bound: [] }>();
  #bindWaiter: Promise<void> | undefined;

  constructor(options: SessionPoolOptions) {
    const { settings } = options;
    this.#settings = settings;
    this.#metrics = options.metrics;
    const types: BindType[] =
      settings.bindMode === 'transceiver' ? ['transceiver'] : ['transmitter', 'receiver'];
    this.#links = [];
    for (let i = 0; i < settings.sessions; i++) {
      for (const bindType of types) {
        this.#links.push(
          new UpstreamLink({
            settings,
            bindType,
            name: `${bindType}#${i}`,
            logger: options.logger,
            onRequest: options.onRequest,
            onBound: (bound) => {
              options.metrics.sessionsBound.inc({ bind: bindType }, bound ? 1 : -1);
              if (bound) this.#bound.emit('bound');
            },
          }),
        );
      }
    }
  }

  /** Starts every link. */
  start(): void {
    for (const link of this.#links) link.start();
  }

  /** Sessions bound now and sessions configured (every link, receivers included). */
  get sessions(): { bound: number; configured: number } {
    return {
      bound: this.#links.filter((link) => link.session !== undefined).length,
      configured: this.#links.length,
    };
  }

  /** Whether at least one session may transmit now. */
  get ready(): boolean {
    return this.#links.some((link) => link.canTransmit);
  }

  /** The bound transmitting session with the fewest unanswered requests, or undefined when none is bound. */
  transmitter(): SmppSession | undefined {
    let best: SmppSession | undefined;
    for (const link of this.#links) {
      const session = link.canTransmit ? link.session : undefined;
      if (session === undefined) continue;
      if (
        best === undefined ||
        session.inFlightRequests + session.queuedRequests < best.inFlightRequests + best.queuedRequests
      ) {
        best = session;
      }
    }
    return best;
  }

  /**
   * Waits up to `timeoutMs` for a transmitting session; undefined when none
   * came or `signal` aborted (checked at least every 250 ms: the worker's
   * signal is shared by every send, so no listener is added to it).
   */
  async waitForTransmitter(timeoutMs: number, signal: AbortSignal): Promise<SmppSession | undefined> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const session = this.transmitter();
      const left = deadline - performance.now();
      if (session !== undefined || left <= 0 || signal.aborted) return session;
      await Promise.race([this.#nextBind(), sleep(Math.min(left, 250))]);
    }
  }

  /** Resolves at the next bind of any link (one promise shared by every waiter). */
  #nextBind(): Promise<void> {
    this.#bindWaiter ??= new Promise<void>((resolve) => {
      this.#bound.once('bound', () => {
        this.#bindWaiter = undefined;
        resolve();
      });
    });
    return this.#bindWaiter;
  }

  /** Updates the window use gauge: unanswered submits over the windows of the transmitting sessions. */
  sampleWindowUse(): void {
    let used = 0;
    let capacity = 0;
    for (const link of this.#links) {
      const session = link.canTransmit ? link.session : undefined;
      if (session === undefined) continue;
      used += session.inFlightRequests;
      capacity += this.#settings.window;
    }
    this.#metrics.windowUse.set(capacity === 0 ? 0 : used / capacity);
  }

  /** Unbinds the transmitting-only sessions (transmitters). */
  async stopTransmitters(): Promise<void> {
    await Promise.all(this.#links.filter((l) => l.bindType === 'transmitter').map((l) => l.stop()));
  }

  /** Unbinds the sessions that receive (receivers, transceivers). */
  async stopReceivers(): Promise<void> {
    await Promise.all(this.#links.filter((l) => l.bindType !== 'transmitter').map((l) => l.stop()));
  }
}
