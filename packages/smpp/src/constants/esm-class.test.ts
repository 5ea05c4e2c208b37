import { describe, expect, it } from 'vitest';
import { EsmClass, hasUdhi, isDeliveryReceipt, messageTypeOf, messagingModeOf } from './esm-class.ts';

describe('EsmClass', () => {
  it('has the spec values (3.4 §5.2.12)', () => {
    expect(EsmClass.MC_DELIVERY_RECEIPT).toBe(0x04);
    expect(EsmClass.INTERMEDIATE_NOTIFICATION).toBe(0x20);
    expect(EsmClass.UDHI).toBe(0x40);
    expect(EsmClass.REPLY_PATH).toBe(0x80);
    expect(EsmClass.MESSAGING_MODE_MASK | EsmClass.MESSAGE_TYPE_MASK | EsmClass.GSM_FEATURES_MASK).toBe(0xff);
  });
});

describe('messagingModeOf', () => {
  it.each([
    [0x00, 'default'],
    [0x01, 'datagram'],
    [0x02, 'forward'],
    [0x03, 'storeAndForward'],
    [0x43, 'storeAndForward'],
  ] as const)('%i → %s', (esmClass, mode) => {
    expect(messagingModeOf(esmClass)).toBe(mode);
  });
});

describe('messageTypeOf', () => {
  it.each([
    [0x00, 'default', 'default'],
    [0x04, 'deliveryReceipt', 'reserved'],
    [0x44, 'deliveryReceipt', 'reserved'],
    [0x08, 'deliveryAck', 'deliveryAck'],
    [0x10, 'manualAck', 'manualAck'],
    [0x18, 'conversationAbort', 'reserved'],
    [0x20, 'intermediateNotification', 'reserved'],
    [0x0c, 'reserved', 'reserved'],
    [0x3c, 'reserved', 'reserved'],
    [0x43, 'default', 'default'],
  ] as const)('%i → deliver %s, submit %s', (esmClass, deliver, submit) => {
    expect(messageTypeOf(esmClass)).toBe(deliver);
    expect(messageTypeOf(esmClass, 'deliver_sm')).toBe(deliver);
    expect(messageTypeOf(esmClass, 'submit_sm')).toBe(submit);
  });
});

describe('hasUdhi', () => {
  it('tests bit 6 only', () => {
    expect(hasUdhi(0x40)).toBe(true);
    expect(hasUdhi(0x43)).toBe(true);
    expect(hasUdhi(0xc0)).toBe(true);
    expect(hasUdhi(0x80)).toBe(false);
    expect(hasUdhi(0x04)).toBe(false);
  });
});

describe('isDeliveryReceipt', () => {
  it('follows the Kannel rule esm_class & (0x04|0x08|0x20)', () => {
    for (let esmClass = 0; esmClass <= 0xff; esmClass++) {
      expect(isDeliveryReceipt(esmClass)).toBe((esmClass & 0x2c) !== 0);
    }
  });

  it.each([0x04, 0x44, 0x08, 0x20, 0x24])('%i is a receipt', (esmClass) => {
    expect(isDeliveryReceipt(esmClass)).toBe(true);
  });

  it.each([0x00, 0x40, 0x80, 0x03, 0x10])('%i is not a receipt', (esmClass) => {
    expect(isDeliveryReceipt(esmClass)).toBe(false);
  });
});
