// A minimal SMSC: accepts binds of one account, answers every submit_sm with a message id and sends
// each receiver a delivery receipt for it. From packages/smpp/README.md ("A server").
import {
  CommandStatus,
  EsmClass,
  MessageState,
  createPdu,
  createSmppServer,
  formatReceipt,
  type SmppServer,
} from '@smsgw/smpp';

/** Starts the SMSC on 127.0.0.1:`port` (0: a free port); `server.address().port` says which. */
export async function startServer(port: number): Promise<SmppServer> {
  let lastId = 0;
  const server = createSmppServer({ windowSize: 10 }, (session) => {
    session.on('bind', (pdu) => {
      const ok = pdu.systemId === 'acme' && pdu.password === 'secret';
      if (ok) session.reply(pdu, CommandStatus.ESME_ROK, { systemId: 'example-smsc' });
      else session.reply(pdu, CommandStatus.ESME_RINVPASWD);
    });
    session.on('request', (pdu) => {
      if (pdu.command !== 'submit_sm') {
        session.reject(pdu, CommandStatus.ESME_RINVCMDID);
        return;
      }
      const messageId = String(++lastId);
      session.reply(pdu, CommandStatus.ESME_ROK, { messageId });
      // A receipt right away, on the same session (a transceiver): "delivered".
      const now = new Date();
      const text = formatReceipt({
        id: messageId,
        dlvrd: 1,
        submitDate: now,
        doneDate: now,
        messageState: MessageState.DELIVERED,
      });
      const receipt = createPdu('deliver_sm', {
        sourceAddr: pdu.destinationAddr,
        destinationAddr: pdu.sourceAddr,
        esmClass: EsmClass.MC_DELIVERY_RECEIPT,
        shortMessage: new TextEncoder().encode(text),
        tlvs: { receiptedMessageId: messageId, messageState: MessageState.DELIVERED },
      });
      session.request(receipt).catch(() => {
        // The client went away before answering: nothing more to do in an example.
      });
    });
  });
  await server.listen(port, '127.0.0.1');
  return server;
}
