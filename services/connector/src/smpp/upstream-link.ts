/**
 * One upstream session kept bound: connect, bind, and when the session ends
 * (the SMSC dropped it, a refused bind, a dead peer) connect again after a
 * back-off doubling per failed attempt (@smsgw/nats retryDelayMs, as for messages),
 * until stop(). Requests the SMSC sends (receipts, MO) go to `onRequest`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@smsgw/runtime';
import {
  connectSmpp,
  type BindType,
  type CloseReason,
  type InboundRequestPdu,
  type SmppSession,
} from '@smsgw/smpp';
import type { SmppSettings } from './smpp-settings.ts';
import { retryDelayMs } from '@smsgw/nats';

/** Options of an UpstreamLink. */
export interface UpstreamLinkOptions {
  readonly settings: SmppSettings;
  readonly bindType: BindType;
  /** For logs: `transceiver#0`. */
  readonly name: string;
  readonly logger: Logger;
  /** A request from the SMSC on this session; answer it on `session`. */
  readonly onRequest: (session: SmppSession, pdu: InboundRequestPdu) => void;
  /** The session was bound (true) or ended (false). */
  readonly onBound: (bound: boolean) => void;
}

/** One session to the upstream SMSC, reconnecting. */
export class UpstreamLink {
  readonly bindType: BindType;
  readonly #options: UpstreamLinkOptions;
  readonly #stop = new AbortController();
  #session: SmppSession | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: UpstreamLinkOptions) {
    this.#options = options;
    this.bindType = options.bindType;
  }

  /** The bound session, or undefined while (re)connecting. */
  get session(): SmppSession | undefined {
    return this.#session;
  }

  /** Whether submits may go out on it now. */
  get canTransmit(): boolean {
    return this.bindType !== 'receiver' && this.#session !== undefined && !this.#stop.signal.aborted;
  }

  /** Starts connecting; the link keeps itself bound until stop(). */
  start(): void {
    this.#loop ??= this.#run();
  }

  /** Unbinds (waiting for unbind_resp, bounded by the response timeout) and stops reconnecting. */
  async stop(): Promise<void> {
    this.#stop.abort();
    const session = this.#session;
    if (session !== undefined) await session.unbind();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const { settings, logger } = this.#options;
    let failures = 0;
    while (!this.#stop.signal.aborted) {
      try {
        const { ended } = await this.#bindOnce();
        failures = 0;
        const reason = await ended;
        if (this.#stopped()) break;
        logger.warn(
          { link: this.#options.name, reason: reason.code, err: reason.error },
          'upstream session ended',
        );
      } catch (err) {
        failures++;
        logger.warn({ link: this.#options.name, err, failures }, 'upstream connect or bind failed');
      }
      if (this.#stopped()) break;
      try {
        await sleep(retryDelayMs(settings.reconnect, Math.max(failures, 1)), undefined, {
          signal: this.#stop.signal,
        });
      } catch {
        break; // stop() during the back-off.
      }
    }
  }

  /** Whether stop() was called (a method, so that checks after an await are not narrowed away). */
  #stopped(): boolean {
    return this.#stop.signal.aborted;
  }

  /** Connects and binds; resolves once bound, with the session's end. */
  async #bindOnce(): Promise<{ ended: Promise<CloseReason> }> {
    const { settings, logger } = this.#options;
    const session = await connectSmpp({
      host: settings.host,
      port: settings.port,
      ...(settings.tls === undefined ? {} : { tls: settings.tls }),
      connectTimeout: settings.responseTimeoutMs,
      windowSize: settings.window,
      responseTimeout: settings.responseTimeoutMs,
      enquireLinkInterval: settings.enquireLinkMs,
    });
    session.on('request', (pdu) => {
      this.#options.onRequest(session, pdu);
    });
    session.on('warning', (err) => {
      logger.warn({ link: this.#options.name, err }, 'upstream session warning');
    });
    try {
      await session.bind(this.bindType, {
        systemId: settings.systemId,
        password: settings.password,
        systemType: settings.systemType,
      });
    } catch (err) {
      session.close();
      throw err;
    }
    if (this.#stopped()) {
      await session.unbind();
      return { ended: session.closed };
    }
    this.#session = session;
    this.#options.onBound(true);
    logger.info(
      { link: this.#options.name, host: settings.host, port: settings.port },
      'upstream session bound',
    );
    const ended = session.closed.then((reason) => {
      this.#session = undefined;
      this.#options.onBound(false);
      return reason;
    });
    return { ended };
  }
}
