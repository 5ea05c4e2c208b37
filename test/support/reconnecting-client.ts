/**
 * A customer that behaves like real SMPP client software during a rolling
 * upgrade: one transceiver session (our @smsgw/smpp client) that, after an
 * unbind from the server or a lost connection, reconnects to the next address
 * of its list, and keeps submitting at its share of a steady rate. It records
 * how every submit_sm ended (ESME_ROK with an id, an error status, never sent
 * because no session was bound, or sent and never answered) and every
 * delivery report it receives (answered ESME_ROK).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CommandStatus,
  SessionClosedError,
  connectSmpp,
  createPdu,
  isFinalState,
  type SmppSession,
} from '@smsgw/smpp';

/** How one submit ended. */
export type SubmitEnd =
  | { readonly kind: 'ok'; readonly messageId: string }
  | { readonly kind: 'error'; readonly commandStatus: number }
  | { readonly kind: 'unsent' }
  | { readonly kind: 'no-answer'; readonly reason: string };

/** Options of a ReconnectingClient. */
export interface ReconnectingClientOptions {
  /** SMPP ports on 127.0.0.1, tried in turn. */
  readonly ports: readonly number[];
  /** Index of the first port tried. */
  readonly first: number;
  readonly systemId: string;
  readonly password: string;
  /** Pause before reconnecting (real clients wait ~30 s; tests less). */
  readonly reconnectDelayMs: number;
}

/** One reconnecting transceiver customer. */
export class ReconnectingClient {
  readonly #o: ReconnectingClientOptions;
  #session: SmppSession | undefined;
  #next: number;
  #stopped = false;
  readonly #loop: Promise<void>;
  /** Final delivery reports by receipted message id (a list: duplicates show). */
  readonly finals = new Map<string, number>();
  /** Binds made (the first one and every reconnect). */
  binds = 0;
  /** Failed connects or binds, with the last reason (a pod restarting refuses connections for a moment). */
  failedConnects = 0;
  lastConnectError: unknown;

  constructor(options: ReconnectingClientOptions) {
    this.#o = options;
    this.#next = options.first;
    this.#loop = this.#run();
  }

  /** Whether a session is bound now. */
  get bound(): boolean {
    return this.#session?.state === 'bound_trx';
  }

  /** Submits one message (registered_delivery final) to `destination` on the current session. */
  async submit(destination: string): Promise<SubmitEnd> {
    const session = this.#session;
    if (session === undefined || session.state !== 'bound_trx') return { kind: 'unsent' };
    const pdu = createPdu('submit_sm', {
      sourceAddr: '4599000000',
      sourceAddrTon: 1,
      sourceAddrNpi: 1,
      destinationAddr: destination,
      destAddrTon: 1,
      destAddrNpi: 1,
      registeredDelivery: 1,
      shortMessage: Buffer.from('rolling'),
    });
    try {
      const response = await session.request(pdu);
      return response.commandStatus === CommandStatus.ESME_ROK
        ? { kind: 'ok', messageId: response.messageId }
        : { kind: 'error', commandStatus: response.commandStatus };
    } catch (error) {
      // Sent (the window is never over-filled, so request() writes at once) and not answered.
      if (error instanceof SessionClosedError) return { kind: 'no-answer', reason: error.message };
      if (error instanceof Error && error.name === 'InvalidStateError') return { kind: 'unsent' };
      return { kind: 'no-answer', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Stops reconnecting and unbinds. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#session?.unbind({ timeout: 2_000 });
    await this.#loop;
  }

  /** Read through a method: stop() changes it across awaits. */
  #isStopped(): boolean {
    return this.#stopped;
  }

  async #run(): Promise<void> {
    const { ports } = this.#o;
    while (!this.#isStopped()) {
      const port = ports[this.#next % ports.length] as number;
      this.#next++;
      try {
        const session = await connectSmpp({
          host: '127.0.0.1',
          port,
          connectTimeout: 2_000,
          windowSize: 100,
        });
        session.on('request', (pdu) => {
          if (pdu.command !== 'deliver_sm') return;
          session.reply(pdu, CommandStatus.ESME_ROK);
          const id = pdu.tlvs.receiptedMessageId;
          const state = pdu.tlvs.messageState;
          if (id !== undefined && state !== undefined && isFinalState(state)) {
            this.finals.set(id, (this.finals.get(id) ?? 0) + 1);
          }
        });
        const closed = new Promise<void>((resolve) => {
          session.once('close', () => {
            resolve();
          });
        });
        await session.bind('transceiver', { systemId: this.#o.systemId, password: this.#o.password });
        this.binds++;
        this.#session = session;
        await closed;
      } catch (error) {
        // Refused (the pod is restarting) or the bind failed: the next address, after the pause.
        this.failedConnects++;
        this.lastConnectError = error;
      }
      this.#session = undefined;
      if (!this.#isStopped()) await sleep(this.#o.reconnectDelayMs);
    }
  }
}
