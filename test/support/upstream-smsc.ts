/**
 * An upstream SMSC for the system tests, on the npm `smpp` package's server
 * (not our session code). It behaves like a carrier: submit_sm_resp with hex
 * ids, then a receipt (text only, the id in decimal) on a receiving session,
 * the outcome chosen by the destination's last digit; a receipt that is not
 * answered ESME_ROK (an error, or the session died first) is sent again later,
 * on whichever receiving session is bound, as SMSCs do.
 *
 * | last digit | submit_sm_resp   | receipt                  |
 * | ---------- | ---------------- | ------------------------ |
 * | 6          | ESME_ROK         | stat:UNDELIV err:019     |
 * | 8          | ESME_RINVDSTADR  | none                     |
 * | other      | ESME_ROK         | stat:DELIVRD err:000     |
 */
import { once } from 'node:events';
import type net from 'node:net';
import smpp from 'smpp';

/** A receipt not acknowledged yet. */
interface PendingReceipt {
  readonly text: string;
  sending: boolean;
}

/** The test carrier. */
export class UpstreamSmsc {
  readonly server: smpp.Server;
  /** Every submit_sm answered ESME_ROK, by destination (resends included). */
  readonly accepted: string[] = [];
  /** Receipts answered ESME_ROK, and those answered otherwise (resent). */
  receiptsAcked = 0;
  receiptsRefused = 0;
  readonly #receivers = new Set<smpp.Session>();
  readonly #pending = new Set<PendingReceipt>();
  #serial = 0x10000;
  #moTurn = 0;
  readonly #timer: NodeJS.Timeout;

  private constructor() {
    this.server = smpp.createServer({}, (session) => {
      // One close listener per receipt in flight on it.
      session.setMaxListeners(0);
      session.on('error', () => undefined);
      session.on('close', () => this.#receivers.delete(session));
      session.on('pdu', (pdu: smpp.PDU) => {
        this.#onPdu(session, pdu);
      });
    });
    // Unanswered receipts go out again, as a carrier retries them.
    this.#timer = setInterval(() => {
      this.#flush();
    }, 250);
  }

  /** Listens on a free loopback port. */
  static async start(): Promise<UpstreamSmsc> {
    const smsc = new UpstreamSmsc();
    smsc.server.listen(0, '127.0.0.1');
    await once(smsc.server, 'listening');
    return smsc;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /**
   * The environment of a connector named `upstream` whose `smpp` driver binds to this carrier
   * (reconnecting within 100–500 ms), with `extra` on top.
   */
  connectorEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    return {
      CONNECTOR_NAME: 'upstream',
      CONNECTOR_DRIVER: 'smpp',
      CONNECTOR_SMPP_HOST: '127.0.0.1',
      CONNECTOR_SMPP_PORT: String(this.port),
      CONNECTOR_SMPP_SYSTEM_ID: 'esme',
      CONNECTOR_SMPP_PASSWORD: 'secret',
      CONNECTOR_SMPP_RECONNECT_MIN: '100ms',
      CONNECTOR_SMPP_RECONNECT_MAX: '500ms',
      ...extra,
    };
  }

  /** Receipts not acknowledged yet. */
  get pendingReceipts(): number {
    return this.#pending.size;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    for (const session of this.server.sessions) session.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  #onPdu(session: smpp.Session, pdu: smpp.PDU): void {
    if (pdu.isResponse()) return;
    if (pdu.command.startsWith('bind_')) {
      session.send(pdu.response({ system_id: 'CARRIER' }));
      if (pdu.command !== 'bind_transmitter') this.#receivers.add(session);
      this.#flush();
    } else if (pdu.command === 'submit_sm') {
      const destination = String(pdu['destination_addr']);
      if (destination.endsWith('8')) {
        session.send(pdu.response({ command_status: smpp.errors['ESME_RINVDSTADR'] }));
        return;
      }
      const serial = ++this.#serial;
      this.accepted.push(destination);
      session.send(pdu.response({ message_id: serial.toString(16).toUpperCase() }));
      const [stat, err] = destination.endsWith('6') ? ['UNDELIV', '019'] : ['DELIVRD', '000'];
      this.#pending.add({
        text: `id:${String(serial)} sub:001 dlvrd:001 submit date:2612050500 done date:2612050500 stat:${stat} err:${err} text:Hi`,
        sending: false,
      });
      this.#flush();
    } else if (pdu.command === 'enquire_link') {
      session.send(pdu.response());
    } else if (pdu.command === 'unbind') {
      this.#receivers.delete(session);
      session.send(pdu.response());
      session.close();
    }
  }

  /** Whether a receiving session of the connector is bound (MOs can go out). */
  get hasReceiver(): boolean {
    return this.#receivers.size > 0;
  }

  /**
   * Sends a mobile-originated message as a deliver_sm (esm_class 0, or what
   * `pdu` says) on one of the connector's receiving sessions, round robin;
   * resolves with the deliver_sm_resp's command_status.
   */
  sendMo(pdu: smpp.PduOptions): Promise<number> {
    const receivers = [...this.#receivers];
    const session = receivers[this.#moTurn++ % Math.max(1, receivers.length)];
    if (session === undefined) return Promise.reject(new Error('no receiving session bound'));
    return new Promise((resolve, reject) => {
      const onClose = (): void => {
        reject(new Error('session closed before the deliver_sm_resp'));
      };
      session.once('close', onClose);
      session.deliver_sm({ esm_class: 0, ...pdu }, (resp) => {
        session.off('close', onClose);
        resolve(resp.command_status);
      });
    });
  }

  #flush(): void {
    const receivers = [...this.#receivers];
    if (receivers.length === 0) return;
    let i = 0;
    for (const receipt of this.#pending) {
      if (receipt.sending) continue;
      const session = receivers[i++ % receivers.length] as smpp.Session;
      receipt.sending = true;
      // Sent again when the session dies before its answer.
      const onClose = (): void => {
        receipt.sending = false;
      };
      session.once('close', onClose);
      session.deliver_sm(
        {
          source_addr: '4512345678',
          destination_addr: 'smsgw',
          esm_class: 0x04,
          short_message: receipt.text,
        },
        (resp) => {
          session.off('close', onClose);
          receipt.sending = false;
          if (resp.command_status === 0) {
            this.#pending.delete(receipt);
            this.receiptsAcked++;
          } else {
            this.receiptsRefused++;
          }
        },
      );
    }
  }
}
