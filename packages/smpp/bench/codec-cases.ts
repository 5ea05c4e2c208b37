/**
 * The two PDUs the codec benchmark measures, built the same way with our
 * codec and with node-smpp's: a typical submit_sm (GSM-7 text, one TLV) and a
 * deliver_sm delivery receipt (receipt text, three TLVs). Each case encodes the
 * text, encodes the PDU, decodes it and decodes the text back, as a gateway
 * does per message.
 */
import smpp from 'smpp';
import { createPdu } from '../src/pdu/create.ts';
import { decodePdu } from '../src/pdu/decode.ts';
import { encodePdu } from '../src/pdu/encode.ts';
import { decodeText, encodeText } from '../src/text/text-codec.ts';

const submitText = 'Your verification code is 483920. It expires in 10 minutes.';
const receiptText =
  'id:1390125333 sub:001 dlvrd:000 submit date:2011181054 done date:2011181055 stat:DELIVRD err:000 text:12345';

/** One benchmark case: ours and node-smpp's implementation of the same round trip. */
export interface CodecCase {
  readonly name: string;
  readonly ours: () => void;
  readonly nodeSmpp: () => void;
}

let sink = 0;

/** Keeps results observable so the JIT cannot drop the work. */
export function benchSink(): number {
  return sink;
}

const submitSm: CodecCase = {
  name: 'submit_sm (GSM-7 text, user_message_reference)',
  ours: () => {
    const bytes = encodePdu(
      createPdu('submit_sm', {
        sequenceNumber: 42,
        sourceAddrTon: 5,
        sourceAddr: 'ExampleCo',
        destAddrTon: 1,
        destAddrNpi: 1,
        destinationAddr: '4512345678',
        registeredDelivery: 1,
        dataCoding: 0,
        shortMessage: encodeText(submitText, 0),
        tlvs: { userMessageReference: 12345 },
      }),
    );
    const pdu = decodePdu(bytes);
    if (pdu.command === 'submit_sm') sink += decodeText(pdu.shortMessage, pdu.dataCoding).length;
  },
  nodeSmpp: () => {
    const bytes = new smpp.PDU('submit_sm', {
      sequence_number: 42,
      source_addr_ton: 5,
      source_addr: 'ExampleCo',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '4512345678',
      registered_delivery: 1,
      data_coding: 0,
      short_message: submitText,
      user_message_reference: 12345,
    }).toBuffer();
    const pdu = new smpp.PDU(bytes);
    sink += (pdu['short_message'] as { message: string }).message.length;
  },
};

const networkErrorCode = Buffer.from([3, 0, 0]);

const deliverSmReceipt: CodecCase = {
  name: 'deliver_sm receipt (receipted_message_id, message_state, network_error_code)',
  ours: () => {
    const bytes = encodePdu(
      createPdu('deliver_sm', {
        sequenceNumber: 7,
        sourceAddrTon: 1,
        sourceAddrNpi: 1,
        sourceAddr: '4512345678',
        destAddrTon: 5,
        destinationAddr: 'ExampleCo',
        esmClass: 0x04,
        dataCoding: 0,
        shortMessage: encodeText(receiptText, 0),
        tlvs: {
          receiptedMessageId: '1390125333',
          messageState: 2,
          networkErrorCode: { networkType: 3, errorCode: 0 },
        },
      }),
    );
    const pdu = decodePdu(bytes);
    if (pdu.command === 'deliver_sm') sink += decodeText(pdu.shortMessage, pdu.dataCoding).length;
  },
  nodeSmpp: () => {
    const bytes = new smpp.PDU('deliver_sm', {
      sequence_number: 7,
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '4512345678',
      dest_addr_ton: 5,
      destination_addr: 'ExampleCo',
      esm_class: 0x04,
      data_coding: 0,
      short_message: receiptText,
      receipted_message_id: '1390125333',
      message_state: 2,
      network_error_code: networkErrorCode,
    }).toBuffer();
    const pdu = new smpp.PDU(bytes);
    sink += (pdu['short_message'] as { message: string }).message.length;
  },
};

/** The cases, in the order they are printed. */
export const codecCases: readonly CodecCase[] = [submitSm, deliverSmReceipt];
