// A client: binds as a transceiver, submits one text (split into parts when it is long) and waits
// for its delivery receipt. From packages/smpp/README.md ("A client").
import {
  buildParts,
  chooseDataCoding,
  connectSmpp,
  createPdu,
  isDeliveryReceipt,
  parseReceipt,
  type DeliverSm,
} from '@smsgw/smpp';

/** Sends `text` to `to` through the SMSC at 127.0.0.1:`port`; resolves with the receipt's stat (e.g. DELIVRD). */
export async function sendAndWaitForReceipt(port: number, to: string, text: string): Promise<string> {
  const session = await connectSmpp({ host: '127.0.0.1', port });
  try {
    await session.bind('transceiver', { systemId: 'acme', password: 'secret' });
    const receipt = new Promise<DeliverSm>((resolve) => {
      session.on('request', (pdu) => {
        if (pdu.command !== 'deliver_sm') return;
        session.reply(pdu, 0);
        if (isDeliveryReceipt(pdu.esmClass)) resolve(pdu);
      });
    });
    const dataCoding = chooseDataCoding(text); // GSM 7-bit when it can carry the text, else UCS-2
    const parts = buildParts(text, dataCoding, { mode: 'udh', reference: 1 });
    let firstId = '';
    for (const part of parts) {
      const response = await session.request(
        createPdu('submit_sm', {
          sourceAddr: 'Example',
          destinationAddr: to,
          dataCoding,
          esmClass: part.esmClassFlags,
          shortMessage: part.shortMessage,
          registeredDelivery: parts.length === 1 || firstId === '' ? 1 : 0,
        }),
      );
      if (firstId === '') firstId = response.messageId;
    }
    const parsed = parseReceipt(new TextDecoder().decode((await receipt).shortMessage));
    return parsed?.stat ?? 'unknown';
  } finally {
    await session.unbind();
  }
}
