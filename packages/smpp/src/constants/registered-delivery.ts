import { isFailureState, isFinalState, MessageState } from './message-state.ts';

/**
 * registered_delivery bit fields (SMPP 3.4 §5.2.17):
 * - bits 1–0 MC delivery receipt: none / on success or failure / on failure
 *   only / reserved in 3.4 (5.0: on success only),
 * - bits 3–2 SME originated acknowledgements,
 * - bit 4 intermediate notification; bits 7–5 reserved.
 */
export const RegisteredDelivery = {
  MC_RECEIPT_MASK: 0x03,
  NO_RECEIPT: 0x00,
  RECEIPT_ON_FINAL: 0x01,
  RECEIPT_ON_FAILURE: 0x02,
  /** Reserved in 3.4; "success only" in 5.0, which is how we read it. */
  RECEIPT_ON_SUCCESS: 0x03,

  SME_ACK_MASK: 0x0c,
  SME_DELIVERY_ACK: 0x04,
  SME_MANUAL_ACK: 0x08,

  INTERMEDIATE_NOTIFICATION: 0x10,
  RESERVED_MASK: 0xe0,
} as const;

/** Which final outcomes the ESME asked an MC delivery receipt for. */
export type ReceiptRequest = 'none' | 'final' | 'failure' | 'success';

const requests: readonly ReceiptRequest[] = ['none', 'final', 'failure', 'success'];

/** The MC delivery receipt request of registered_delivery bits 1–0 (value 3 read as 5.0's "success only"). */
export function receiptRequestOf(registeredDelivery: number): ReceiptRequest {
  // The mask keeps the index in 0..3, so the lookup always hits.
  return requests[registeredDelivery & RegisteredDelivery.MC_RECEIPT_MASK] ?? 'none';
}

/** True when the ESME asked for intermediate notifications (bit 4, 0x10). */
export function wantsIntermediate(registeredDelivery: number): boolean {
  return (registeredDelivery & RegisteredDelivery.INTERMEDIATE_NOTIFICATION) !== 0;
}

/**
 * Whether a receipt for a message that reached `messageState` must be sent to
 * an ESME that submitted with `registeredDelivery`:
 * - final states: always for 'final', only failure states for 'failure',
 *   only DELIVERED/ACCEPTED for 'success', never for 'none';
 * - SCHEDULED, ENROUTE and UNKNOWN (not final): only when intermediate
 *   notifications were requested (0x10), whatever bits 1–0 say;
 * - values outside 0..9: never.
 */
export function shouldSendReceipt(registeredDelivery: number, messageState: number): boolean {
  if (isFinalState(messageState)) {
    switch (receiptRequestOf(registeredDelivery)) {
      case 'none':
        return false;
      case 'final':
        return true;
      case 'failure':
        return isFailureState(messageState);
      case 'success':
        return !isFailureState(messageState);
    }
  }
  if (
    messageState === MessageState.SCHEDULED ||
    messageState === MessageState.ENROUTE ||
    messageState === MessageState.UNKNOWN
  ) {
    return wantsIntermediate(registeredDelivery);
  }
  return false;
}
