/**
 * What a receipt (deliver_sm or data_sm with a receipt esm_class) says, read
 * tolerantly: the id from receipted_message_id, else from the text; the state
 * from the message_state TLV, else the text's `stat:` (every word and variant
 * parse-receipt knows); the error from `err:` (any form) and network_error_code.
 */
import { MessageState, type NetworkType } from '@smsgw/proto';
import {
  decodeText,
  isDeliveryReceipt,
  isFailureState,
  isMessageState,
  parseReceipt,
  type DataSm,
  type DeliverSm,
} from '@smsgw/smpp';
import type { StatusReport } from '../driver.ts';

/** Where a receipt's id came from: the TLV is written like submit_sm_resp ids, the text in the receipt id base. */
export type ReceiptIdSource = 'tlv' | 'text';

/** A receipt, read. */
export interface UpstreamReceipt {
  /** The upstream message id, as written. */
  readonly id: string;
  readonly idSource: ReceiptIdSource;
  /** The status to report (upstreamMessageId set to `id`). */
  readonly status: StatusReport;
}

/** Origin of the internal error code of a receipt's `err:` (0x10: SMS errors; err N → 0x1000 + N). */
const SMS_ERROR_ORIGIN = 0x1000;

/** err values above 999 (and words) become "999", other error: they do not fit the 3-digit field the customer gets. */
const OTHER_ERROR = 999;

/**
 * The internal error code of a receipt's err field: 0x1000 + its decimal value,
 * so that the customer's DLR shows the same `err:` as the upstream's receipt
 * (the dispatcher writes the low 12 bits in decimal: 0x1013 → 019). A word
 * or a number above 999 gives 0x13E7 (err 999) on a failure, 0 otherwise.
 */
export function errorCodeOfErr(err: string | undefined, failed: boolean): number {
  if (err === undefined) return 0;
  const trimmed = err.trim();
  if (/^\d+$/.test(trimmed)) {
    const value = Number(trimmed);
    return value === 0 ? 0 : SMS_ERROR_ORIGIN + Math.min(value, OTHER_ERROR);
  }
  return failed ? SMS_ERROR_ORIGIN + OTHER_ERROR : 0;
}

/** The receipt's text: short_message (deliver_sm), else message_payload. */
function textOf(pdu: DeliverSm | DataSm): string {
  const bytes =
    pdu.command === 'deliver_sm' && pdu.shortMessage.length > 0 ? pdu.shortMessage : pdu.tlvs.messagePayload;
  if (bytes === undefined || bytes.length === 0) return '';
  try {
    return decodeText(bytes, pdu.dataCoding);
  } catch {
    // Receipts are ASCII whatever data_coding claims: read them as Latin-1 when the coding does not fit.
    return new TextDecoder('latin1').decode(bytes);
  }
}

/**
 * The receipt a deliver_sm/data_sm carries: undefined when its esm_class does
 * not mark a receipt (an MO message), or when it names no id at all.
 */
export function receiptOf(pdu: DeliverSm | DataSm): UpstreamReceipt | undefined {
  if (!isDeliveryReceipt(pdu.esmClass)) return undefined;
  const parsed = parseReceipt(textOf(pdu));
  const tlvId = pdu.tlvs.receiptedMessageId?.trim();
  const id = tlvId !== undefined && tlvId !== '' ? tlvId : parsed?.id;
  if (id === undefined) return undefined;
  const tlvState = pdu.tlvs.messageState;
  const messageState =
    tlvState !== undefined && isMessageState(tlvState)
      ? tlvState
      : (parsed?.messageState ?? MessageState.UNKNOWN);
  const failed = isFailureState(messageState);
  const network = pdu.tlvs.networkErrorCode;
  const status: StatusReport = {
    messageState,
    errorCode: errorCodeOfErr(parsed?.err, failed),
    upstreamMessageId: id,
    ...(network === undefined || network.networkType === 0
      ? {}
      : { networkError: { type: network.networkType as NetworkType, code: network.errorCode } }),
  };
  return { id, idSource: id === tlvId ? 'tlv' : 'text', status };
}
