/**
 * Test support: an in-process SMSC built on @smsgw/smpp's createSmppServer. It
 * accepts binds with one password, answers submit_sm with increasing message
 * ids (or a chosen error status), records what it got, and sends a delivery
 * receipt for each accepted submit whose registered_delivery asks for one.
 */
import type { TlsOptions } from 'node:tls';
import { CommandStatus, createPdu, createSmppServer, type SmppServer, type SubmitSm } from '@smsgw/smpp';

/** How the test SMSC behaves. */
export interface TestSmscOptions {
  password?: string;
  /** Status to answer every submit_sm with (default ESME_ROK). */
  submitStatus?: number;
  /** Send receipts for accepted submits asking for one (default true). */
  receipts?: boolean;
  /** The stat word of the receipts (default DELIVRD; message_state follows). */
  stat?: 'DELIVRD' | 'UNDELIV';
  /** Unbind the session after answering this many submits. */
  unbindAfter?: number;
  /** Serve TLS with these options. */
  tls?: TlsOptions;
}

/** A running test SMSC. */
export interface TestSmsc {
  readonly server: SmppServer;
  readonly port: number;
  /** Every submit_sm received. */
  readonly submits: SubmitSm[];
  /** Bind commands received, with their system_id. */
  readonly binds: { command: string; systemId: string }[];
  /** Most submit_sm seen unanswered at once (the client's window). */
  maxInFlight: number;
  /** Receipts acknowledged by the client. */
  receiptsAcked: number;
  close(): Promise<void>;
}

const RECEIPT_DATE = '2601021504';

/** Starts the SMSC on a free port of 127.0.0.1. */
export async function startTestSmsc(options: TestSmscOptions = {}): Promise<TestSmsc> {
  const password = options.password ?? 'pw';
  let nextId = 1000;
  let inFlight = 0;
  const smsc: Omit<TestSmsc, 'port'> & { port: number } = {
    server: createSmppServer(options.tls === undefined ? {} : { tls: options.tls }),
    port: 0,
    submits: [],
    binds: [],
    maxInFlight: 0,
    receiptsAcked: 0,
    close: () => smsc.server.close(),
  };
  smsc.server.on('session', (session) => {
    session.on('bind', (pdu) => {
      smsc.binds.push({ command: pdu.command, systemId: pdu.systemId });
      session.reply(pdu, pdu.password === password ? CommandStatus.ESME_ROK : CommandStatus.ESME_RINVPASWD, {
        systemId: 'test-smsc',
      });
    });
    session.on('request', (pdu) => {
      if (pdu.command !== 'submit_sm') {
        session.reject(pdu, CommandStatus.ESME_RINVCMDID);
        return;
      }
      smsc.submits.push(pdu);
      inFlight++;
      smsc.maxInFlight = Math.max(smsc.maxInFlight, inFlight);
      // Answer on a later tick so that a client's window can fill up.
      setImmediate(() => {
        inFlight--;
        const status = options.submitStatus ?? CommandStatus.ESME_ROK;
        const messageId = String(nextId++);
        session.reply(pdu, status, status === CommandStatus.ESME_ROK ? { messageId } : {});
        if (smsc.submits.length === options.unbindAfter) {
          void session.unbind();
          return;
        }
        if (
          status !== CommandStatus.ESME_ROK ||
          options.receipts === false ||
          (pdu.registeredDelivery & 3) === 0
        )
          return;
        const stat = options.stat ?? 'DELIVRD';
        const text = `id:${messageId} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:${RECEIPT_DATE} done date:${RECEIPT_DATE} stat:${stat} err:${stat === 'DELIVRD' ? '000' : '001'} text:`;
        const receipt = createPdu('deliver_sm', {
          sourceAddrTon: pdu.destAddrTon,
          sourceAddrNpi: pdu.destAddrNpi,
          sourceAddr: pdu.destinationAddr,
          destinationAddr: pdu.sourceAddr,
          esmClass: 0x04,
          shortMessage: Buffer.from(text, 'latin1'),
          tlvs: { receiptedMessageId: messageId, messageState: stat === 'DELIVRD' ? 2 : 5 },
        });
        session.request(receipt).then(
          () => {
            smsc.receiptsAcked++;
          },
          () => undefined,
        );
      });
    });
  });
  smsc.port = (await smsc.server.listen(0, '127.0.0.1')).port;
  return smsc;
}
