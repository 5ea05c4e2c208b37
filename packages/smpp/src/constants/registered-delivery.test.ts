import { describe, expect, it } from 'vitest';
import { MessageState } from './message-state.ts';
import {
  receiptRequestOf,
  RegisteredDelivery,
  shouldSendReceipt,
  wantsIntermediate,
} from './registered-delivery.ts';

describe('RegisteredDelivery', () => {
  it('has the spec values (3.4 §5.2.17)', () => {
    expect(RegisteredDelivery.RECEIPT_ON_FINAL).toBe(0x01);
    expect(RegisteredDelivery.RECEIPT_ON_FAILURE).toBe(0x02);
    expect(RegisteredDelivery.SME_DELIVERY_ACK).toBe(0x04);
    expect(RegisteredDelivery.SME_MANUAL_ACK).toBe(0x08);
    expect(RegisteredDelivery.INTERMEDIATE_NOTIFICATION).toBe(0x10);
    expect(
      RegisteredDelivery.MC_RECEIPT_MASK |
        RegisteredDelivery.SME_ACK_MASK |
        RegisteredDelivery.INTERMEDIATE_NOTIFICATION |
        RegisteredDelivery.RESERVED_MASK,
    ).toBe(0xff);
  });
});

describe('receiptRequestOf', () => {
  it.each([
    [0x00, 'none'],
    [0x01, 'final'],
    [0x02, 'failure'],
    [0x03, 'success'],
    [0x11, 'final'],
    [0x1e, 'failure'],
    [0x0c, 'none'],
  ] as const)('%i → %s', (rd, request) => {
    expect(receiptRequestOf(rd)).toBe(request);
  });
});

describe('wantsIntermediate', () => {
  it('tests bit 4 only', () => {
    expect(wantsIntermediate(0x10)).toBe(true);
    expect(wantsIntermediate(0x11)).toBe(true);
    expect(wantsIntermediate(0x01)).toBe(false);
    expect(wantsIntermediate(0xef)).toBe(false);
  });
});

describe('shouldSendReceipt', () => {
  const S = MessageState;
  const states = [
    S.SCHEDULED,
    S.ENROUTE,
    S.DELIVERED,
    S.EXPIRED,
    S.DELETED,
    S.UNDELIVERABLE,
    S.ACCEPTED,
    S.UNKNOWN,
    S.REJECTED,
    S.SKIPPED,
  ];
  // Columns follow `states`: SCHED ENROUTE DELIVRD EXPIRED DELETED UNDELIV ACCEPTD UNKNOWN REJECTD SKIPPED.
  const truthTable: [number, string][] = [
    [0x00, '0000000000'],
    [0x01, '0011111011'],
    [0x02, '0001110011'],
    [0x03, '0010001000'],
    [0x10, '1100000100'],
    [0x11, '1111111111'],
    [0x12, '1101110111'],
    [0x13, '1110001100'],
    // SME ack bits do not ask for MC receipts.
    [0x0c, '0000000000'],
    [0x0d, '0011111011'],
  ];
  it.each(truthTable)('registered_delivery %i → %s', (rd, row) => {
    const got = states.map((state) => (shouldSendReceipt(rd, state) ? '1' : '0')).join('');
    expect(got).toBe(row);
  });

  it('never sends for a state outside 0..9', () => {
    for (const rd of [0x00, 0x01, 0x02, 0x03, 0x11, 0x13, 0xff]) {
      expect(shouldSendReceipt(rd, 10)).toBe(false);
      expect(shouldSendReceipt(rd, -1)).toBe(false);
    }
  });
});
