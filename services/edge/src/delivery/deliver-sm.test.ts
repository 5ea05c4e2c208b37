import { create } from '@bufbuild/protobuf';
import { DeliveryReportSchema, MessageState } from '@smsgw/proto';
import { decodePdu, encodePdu } from '@smsgw/smpp';
import { describe, expect, it } from 'vitest';
import { deliverSmOf } from './deliver-sm.ts';

describe('deliverSmOf', () => {
  it('round-trips through the codec with the receipt TLVs', () => {
    const pdu = deliverSmOf(
      create(DeliveryReportSchema, {
        systemId: 'acme',
        source: { ton: 1, npi: 1, addr: '4512345678' },
        destination: { ton: 5, npi: 0, addr: 'smsgw' },
        esmClass: 4,
        shortMessage: Buffer.from('id:1 stat:UNDELIV err:126'),
        receiptedMessageId: '1',
        messageState: MessageState.UNDELIVERABLE,
        networkError: { type: 3, code: 126 },
      }),
    );
    pdu.sequenceNumber = 7;
    const decoded = decodePdu(encodePdu(pdu));
    expect(decoded).toMatchObject({
      command: 'deliver_sm',
      esmClass: 4,
      sourceAddr: '4512345678',
      destinationAddr: 'smsgw',
      tlvs: {
        receiptedMessageId: '1',
        messageState: 5,
        networkErrorCode: { networkType: 3, errorCode: 126 },
      },
    });
    expect(pdu.tlvs.userMessageReference).toBeUndefined();
  });

  it('passes a user_message_reference that is not 2 octets through unchanged', () => {
    const pdu = deliverSmOf(
      create(DeliveryReportSchema, { userMessageReference: Uint8Array.of(1, 2, 3), receiptedMessageId: 'x' }),
    );
    expect(pdu.tlvs.unknown).toEqual([{ tag: 0x0204, value: Uint8Array.of(1, 2, 3) }]);
    expect(pdu.tlvs.messageState).toBeUndefined();
  });
});
