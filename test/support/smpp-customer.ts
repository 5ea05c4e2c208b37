/**
 * A customer's SMPP session for the DLR system tests, on the npm `smpp`
 * package (node-smpp): binds as transmitter, receiver or transceiver, submits,
 * and records every deliver_sm, answering it ESME_ROK (or never, to play a
 * stalled client).
 */
import type smpp from 'smpp';
import { connectNodeSmpp } from './node-smpp-client.ts';

/** One delivery report as the client saw it. */
export interface ReceivedReport {
  /** receipted_message_id TLV. */
  readonly receiptedMessageId: string;
  /** message_state TLV. */
  readonly messageState: number | undefined;
  /** The receipt text (short_message). */
  readonly text: string;
  /** When it arrived (performance.now()). */
  readonly receivedAt: number;
  /** The whole PDU as node-smpp decoded it. */
  readonly pdu: smpp.PDU;
}

/** How the customer answers deliver_sm. */
export type DeliverAnswer = 'ok' | 'never';

/** A bound customer session. */
export interface SmppCustomer {
  /** Every deliver_sm received, in order. */
  readonly reports: ReceivedReport[];
  /** Submits one GSM-7 text to `destination`; resolves with the message id (throws on an error status). */
  submit(destination: string, extra?: smpp.PduOptions): Promise<string>;
  /** Submits `count` messages, `window` at a time; resolves with their message ids in order. */
  submitMany(destinations: readonly string[], window?: number, extra?: smpp.PduOptions): Promise<string[]>;
  /** Unbinds (bounded wait) and closes the socket. */
  close(): Promise<void>;
  /** Drops the TCP connection without unbinding (a vanished client). */
  destroy(): void;
}

function textOf(pdu: smpp.PDU): string {
  const sm = pdu['short_message'] as { message?: unknown } | Buffer | string | undefined;
  if (sm === undefined) return '';
  if (typeof sm === 'string') return sm;
  if (Buffer.isBuffer(sm)) return sm.toString('latin1');
  const message = sm.message;
  return typeof message === 'string' ? message : Buffer.isBuffer(message) ? message.toString('latin1') : '';
}

/** Connects to 127.0.0.1:`port` and binds; throws when the bind is refused. */
export async function bindCustomer(
  port: number,
  bind: 'bind_transmitter' | 'bind_receiver' | 'bind_transceiver',
  credentials: { systemId: string; password: string },
  answer: DeliverAnswer = 'ok',
): Promise<SmppCustomer> {
  const client = await connectNodeSmpp(port);
  const { session, send } = client;
  const reports: ReceivedReport[] = [];
  session.on('deliver_sm', (pdu: smpp.PDU) => {
    const tlvId = pdu['receipted_message_id'];
    reports.push({
      receiptedMessageId: typeof tlvId === 'string' ? tlvId.replace(/\0+$/, '') : '',
      messageState: pdu['message_state'] as number | undefined,
      text: textOf(pdu),
      receivedAt: performance.now(),
      pdu,
    });
    if (answer === 'ok') session.send(pdu.response());
  });
  const bound = await send(bind, { system_id: credentials.systemId, password: credentials.password });
  if (bound.command_status !== 0) {
    session.destroy();
    throw new Error(`${bind} of ${credentials.systemId} refused: status ${String(bound.command_status)}`);
  }
  const submit = async (destination: string, extra: smpp.PduOptions = {}): Promise<string> => {
    const response = await send('submit_sm', {
      source_addr: 'smsgw',
      destination_addr: destination,
      data_coding: 0,
      registered_delivery: 1,
      short_message: 'Hi',
      ...extra,
    });
    if (response.command_status !== 0) {
      throw new Error(`submit_sm to ${destination} answered status ${String(response.command_status)}`);
    }
    return response['message_id'] as string;
  };
  return {
    reports,
    submit,
    async submitMany(destinations, window = 50, extra = {}) {
      const ids: string[] = new Array<string>(destinations.length);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < destinations.length) {
          const i = next++;
          ids[i] = await submit(destinations[i] as string, extra);
        }
      };
      await Promise.all(Array.from({ length: window }, worker));
      return ids;
    },
    close: client.close,
    destroy() {
      session.destroy();
    },
  };
}
