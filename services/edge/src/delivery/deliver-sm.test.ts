import { create } from '@bufbuild/protobuf';
import { DeliveryReportSchema, MessageState } from '@smsgw/proto';
import { decodePdu, encodePdu } from '@smsgw/smpp';
import { describe, expect, it } from 'vitest';
import { NoTlvsForPayloadError, deliverSmOf, needsMessagePayload } from './deliver-sm.ts';

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

  it('an MO: esm_class, coding and octets as given, no receipt TLVs; past 254 octets in message_payload', () => {
    const udh = [5, 0, 3, 9, 2, 1];
    const mo = create(DeliveryReportSchema, {
      systemId: 'acme',
      source: { ton: 1, npi: 1, addr: '4512345678' },
      destination: { ton: 1, npi: 1, addr: '4599990000' },
      esmClass: 0x40,
      dataCoding: 8,
      shortMessage: Uint8Array.from([...udh, 0xd8, 0x3d, 0xde, 0x00]),
    });
    const decoded = decodePdu(encodePdu({ ...deliverSmOf(mo), sequenceNumber: 1 }));
    expect(decoded).toMatchObject({ command: 'deliver_sm', esmClass: 0x40, dataCoding: 8, tlvs: {} });
    if (decoded.command !== 'deliver_sm') throw new Error('not a deliver_sm');
    expect([...decoded.shortMessage]).toEqual([...udh, 0xd8, 0x3d, 0xde, 0x00]);
    expect(Object.keys(decoded.tlvs)).toEqual([]);

    const long = deliverSmOf(create(DeliveryReportSchema, { shortMessage: new Uint8Array(300).fill(0x41) }));
    expect(long.shortMessage.length).toBe(0);
    expect(long.tlvs.messagePayload?.length).toBe(300);
  });

  it('passes a user_message_reference that is not 2 octets through unchanged', () => {
    const pdu = deliverSmOf(
      create(DeliveryReportSchema, { userMessageReference: Uint8Array.of(1, 2, 3), receiptedMessageId: 'x' }),
    );
    expect(pdu.tlvs.unknown).toEqual([{ tag: 0x0204, value: Uint8Array.of(1, 2, 3) }]);
    expect(pdu.tlvs.messageState).toBeUndefined();
  });

  it('refuses to build a deliver_sm without TLVs for octets that need message_payload (SMPP 3.3)', () => {
    const fits = create(DeliveryReportSchema, { systemId: 'acme', shortMessage: new Uint8Array(254) });
    const long = create(DeliveryReportSchema, { systemId: 'acme', shortMessage: new Uint8Array(255) });
    expect(needsMessagePayload(fits)).toBe(false);
    expect(needsMessagePayload(long)).toBe(true);
    expect(deliverSmOf(fits, false).shortMessage).toHaveLength(254);
    expect(() => deliverSmOf(long, false)).toThrow(NoTlvsForPayloadError);
  });
});
