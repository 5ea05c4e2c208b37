/**
 * esm_class bit fields (SMPP 3.4 §5.2.12). One octet, three parts:
 * - bits 1–0 messaging mode (submit_sm / data_sm only; ignored in deliver_sm),
 * - bits 5–2 message type (meanings differ between submit_sm and deliver_sm),
 * - bits 7–6 GSM network specific features (UDHI, reply path).
 */
export const EsmClass = {
  MESSAGING_MODE_MASK: 0x03,
  MESSAGE_TYPE_MASK: 0x3c,
  GSM_FEATURES_MASK: 0xc0,

  // Messaging mode (bits 1–0).
  DEFAULT_MODE: 0x00,
  DATAGRAM_MODE: 0x01,
  FORWARD_MODE: 0x02,
  STORE_AND_FORWARD_MODE: 0x03,

  // Message type (bits 5–2). In submit_sm only DEFAULT, DELIVERY_ACK and MANUAL_ACK are defined.
  DEFAULT_TYPE: 0x00,
  MC_DELIVERY_RECEIPT: 0x04,
  DELIVERY_ACK: 0x08,
  MANUAL_ACK: 0x10,
  CONVERSATION_ABORT: 0x18,
  INTERMEDIATE_NOTIFICATION: 0x20,

  // GSM network specific features (bits 7–6).
  UDHI: 0x40,
  REPLY_PATH: 0x80,
} as const;

/** The messaging mode named by esm_class bits 1–0. */
export type MessagingMode = 'default' | 'datagram' | 'forward' | 'storeAndForward';

/** The message type named by esm_class bits 5–2; `reserved` for bit patterns the spec does not define. */
export type MessageType =
  | 'default'
  | 'deliveryReceipt'
  | 'deliveryAck'
  | 'manualAck'
  | 'conversationAbort'
  | 'intermediateNotification'
  | 'reserved';

const modes: readonly MessagingMode[] = ['default', 'datagram', 'forward', 'storeAndForward'];

/** The messaging mode of an esm_class (meaningful in submit_sm and data_sm only). */
export function messagingModeOf(esmClass: number): MessagingMode {
  // The mask keeps the index in 0..3, so the lookup always hits.
  return modes[esmClass & EsmClass.MESSAGING_MODE_MASK] ?? 'default';
}

/**
 * The message type of an esm_class. The same bits mean different things by
 * direction: 0x04, 0x18 and 0x20 exist only MC→ESME (deliver_sm, data_sm), so
 * in a submit_sm they are `reserved`.
 */
export function messageTypeOf(
  esmClass: number,
  command: 'submit_sm' | 'deliver_sm' = 'deliver_sm',
): MessageType {
  switch (esmClass & EsmClass.MESSAGE_TYPE_MASK) {
    case EsmClass.DEFAULT_TYPE:
      return 'default';
    case EsmClass.DELIVERY_ACK:
      return 'deliveryAck';
    case EsmClass.MANUAL_ACK:
      return 'manualAck';
    case EsmClass.MC_DELIVERY_RECEIPT:
      return command === 'deliver_sm' ? 'deliveryReceipt' : 'reserved';
    case EsmClass.CONVERSATION_ABORT:
      return command === 'deliver_sm' ? 'conversationAbort' : 'reserved';
    case EsmClass.INTERMEDIATE_NOTIFICATION:
      return command === 'deliver_sm' ? 'intermediateNotification' : 'reserved';
    default:
      return 'reserved';
  }
}

/** True when short_message starts with a User Data Header (UDHI, bit 6). */
export function hasUdhi(esmClass: number): boolean {
  return (esmClass & EsmClass.UDHI) !== 0;
}

/**
 * True when a deliver_sm carries a receipt rather than an MO message. Uses
 * Kannel's lenient rule `esm_class & (0x04 | 0x08 | 0x20)`: MCs mark receipts
 * with 0x04 (sometimes 0x44 with UDHI), SME acks with 0x08 and intermediate
 * notifications with 0x20; testing the bits instead of the exact type value
 * accepts all of them.
 */
export function isDeliveryReceipt(esmClass: number): boolean {
  return (
    (esmClass &
      (EsmClass.MC_DELIVERY_RECEIPT | EsmClass.DELIVERY_ACK | EsmClass.INTERMEDIATE_NOTIFICATION)) !==
    0
  );
}
