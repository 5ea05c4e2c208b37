/**
 * An SMSC written with the npm `smpp` package's server (not our session code),
 * for the smpp driver's tests: accepts binds with system_id `esme`/`secret`,
 * answers each submit_sm as the test decides, sends receipts on a receiving
 * session, and can drop every connection at once.
 */
import { once } from 'node:events';
import type net from 'node:net';
import smpp from 'smpp';

/** How the SMSC answers one submit_sm: a status and message id, after an optional delay. */
export interface SubmitAnswer {
  readonly status?: number;
  readonly messageId?: string;
  readonly delayMs?: number;
  /** Sent on a receiving session before the submit_sm_resp (a receipt that overtakes its resp). */
  readonly receiptFirst?: smpp.PduOptions;
}

/** A submit_sm the SMSC received. */
export interface ReceivedSubmit {
  readonly pdu: smpp.PDU;
  /** The id it answered (when ESME_ROK). */
  readonly messageId: string;
}

/** The test SMSC. */
export class TestSmsc {
  readonly server: smpp.Server;
  readonly submits: ReceivedSubmit[] = [];
  readonly binds: { command: string; systemId: string }[] = [];
  /** Bound sessions that may receive deliver_sm (receivers, transceivers). */
  readonly receivers = new Set<smpp.Session>();
  readonly mo: smpp.PDU[] = [];
  /** The bind command of each session that unbound, in order. */
  readonly unbinds: string[] = [];
  readonly #bindOf = new WeakMap<smpp.Session, string>();
  /** Answers each submit_sm; the default accepts it with the next decimal id. */
  answer: (pdu: smpp.PDU, serial: number) => SubmitAnswer = (_pdu, serial) => ({ messageId: String(serial) });
  /** Unanswered submit_sm now, and the most there ever were. */
  inFlight = 0;
  maxInFlight = 0;
  #serial = 1000;

  private constructor(tls?: { readonly key: string; readonly cert: string }) {
    this.server = smpp.createServer(tls ?? {}, (session) => {
      session.on('error', () => undefined);
      session.on('close', () => this.receivers.delete(session));
      session.on('pdu', (pdu: smpp.PDU) => {
        this.#onPdu(session, pdu);
      });
    });
  }

  /** Starts listening on a free loopback port (or `port`), over TLS with `tls`'s certificate. */
  static async start(port = 0, tls?: { readonly key: string; readonly cert: string }): Promise<TestSmsc> {
    const smsc = new TestSmsc(tls);
    smsc.server.listen(port, '127.0.0.1');
    await once(smsc.server, 'listening');
    return smsc;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Sends a deliver_sm on a receiving session; resolves with the deliver_sm_resp's command_status. */
  deliver(options: smpp.PduOptions, session?: smpp.Session): Promise<number> {
    const target = session ?? [...this.receivers][0];
    if (target === undefined) return Promise.reject(new Error('no receiving session bound'));
    return new Promise((resolve) => {
      target.deliver_sm({ source_addr: '4512345678', destination_addr: 'ExampleCo', ...options }, (resp) => {
        resolve(resp.command_status);
      });
    });
  }

  /** Sends a data_sm on a receiving session; resolves with the data_sm_resp's command_status. */
  dataSm(options: smpp.PduOptions): Promise<number> {
    const target = [...this.receivers][0];
    if (target === undefined) return Promise.reject(new Error('no receiving session bound'));
    return new Promise((resolve) => {
      target.data_sm({ source_addr: '4512345678', destination_addr: 'ExampleCo', ...options }, (resp) => {
        resolve(resp.command_status);
      });
    });
  }

  /** Destroys every connection (the driver reconnects). */
  dropAll(): void {
    for (const session of this.server.sessions) session.destroy();
    this.receivers.clear();
  }

  /** Stops listening and drops every connection. */
  async stop(): Promise<void> {
    this.dropAll();
    await new Promise((resolve) => this.server.close(resolve));
  }

  #onPdu(session: smpp.Session, pdu: smpp.PDU): void {
    if (pdu.isResponse()) return;
    if (pdu.command.startsWith('bind_')) {
      const ok = pdu['system_id'] === 'esme' && pdu['password'] === 'secret';
      this.binds.push({ command: pdu.command, systemId: String(pdu['system_id']) });
      session.send(pdu.response({ system_id: 'TESTSMSC', command_status: ok ? 0 : smpp.ESME_RINVPASWD }));
      if (ok && pdu.command !== 'bind_transmitter') this.receivers.add(session);
      if (ok) this.#bindOf.set(session, pdu.command);
    } else if (pdu.command === 'submit_sm') {
      this.#onSubmit(session, pdu);
    } else if (pdu.command === 'enquire_link') {
      session.send(pdu.response());
    } else if (pdu.command === 'unbind') {
      this.unbinds.push(this.#bindOf.get(session) ?? 'unbound');
      this.receivers.delete(session);
      session.send(pdu.response());
      session.close();
    }
  }

  #onSubmit(session: smpp.Session, pdu: smpp.PDU): void {
    const serial = ++this.#serial;
    const answer = this.answer(pdu, serial);
    const messageId = answer.messageId ?? String(serial);
    const status = answer.status ?? 0;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const respond = (): void => {
      this.inFlight--;
      if (status === 0) this.submits.push({ pdu, messageId });
      session.send(pdu.response(status === 0 ? { message_id: messageId } : { command_status: status }));
    };
    const send = (): void => {
      if (answer.receiptFirst === undefined) {
        respond();
        return;
      }
      this.deliver(answer.receiptFirst).then(
        () => undefined,
        () => undefined,
      );
      setTimeout(respond, 50);
    };
    if (answer.delayMs === undefined) send();
    else setTimeout(send, answer.delayMs);
  }
}

/** A receipt text as 3.4 Appendix B writes it. */
export function receiptText(id: string, stat = 'DELIVRD', err = '000'): string {
  return `id:${id} sub:001 dlvrd:001 submit date:2612050433 done date:2612050434 stat:${stat} err:${err} text:Hello`;
}
