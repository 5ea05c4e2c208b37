import { MessageState, NetworkType } from '@smsgw/proto';
import { createPdu, type DeliverSm } from '@smsgw/smpp';
import { describe, expect, it } from 'vitest';
import { errorCodeOfErr, receiptOf } from './receipt-status.ts';

function deliverSm(init: Partial<DeliverSm>): DeliverSm {
  return createPdu('deliver_sm', init);
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('errorCodeOfErr', () => {
  it.each([
    [undefined, true, 0],
    ['000', true, 0],
    ['019', true, 0x1013],
    ['1', false, 0x1001],
    ['1234', true, 0x13e7],
    ['X12', true, 0x13e7],
    ['X12', false, 0],
  ])('err %s (failed %s) → %i', (err, failed, code) => {
    expect(errorCodeOfErr(err, failed)).toBe(code);
  });
});

describe('receiptOf', () => {
  it('is undefined for an MO message', () => {
    expect(receiptOf(deliverSm({ esmClass: 0, shortMessage: text('id:1 stat:DELIVRD') }))).toBeUndefined();
  });

  it('prefers the TLVs to the text', () => {
    const receipt = receiptOf(
      deliverSm({
        esmClass: 0x04,
        shortMessage: text('id:999 stat:DELIVRD err:000'),
        tlvs: {
          receiptedMessageId: 'ABC',
          messageState: MessageState.UNDELIVERABLE,
          networkErrorCode: { networkType: 3, errorCode: 6 },
        },
      }),
    );
    expect(receipt).toEqual({
      id: 'ABC',
      idSource: 'tlv',
      status: {
        messageState: MessageState.UNDELIVERABLE,
        errorCode: 0,
        upstreamMessageId: 'ABC',
        networkError: { type: NetworkType.GSM, code: 6 },
      },
    });
  });

  it('reads a data_sm receipt from message_payload', () => {
    const pdu = createPdu('data_sm', {
      esmClass: 0x04,
      tlvs: { messagePayload: text('id:77 stat:EXPIRED err:034') },
    });
    expect(receiptOf(pdu)).toMatchObject({
      id: '77',
      idSource: 'text',
      status: { messageState: MessageState.EXPIRED, errorCode: 0x1022 },
    });
  });

  it('an unknown stat word is UNKNOWN', () => {
    expect(
      receiptOf(deliverSm({ esmClass: 0x04, shortMessage: text('id:5 stat:WHATEVER') }))?.status,
    ).toMatchObject({
      messageState: MessageState.UNKNOWN,
    });
  });
});
