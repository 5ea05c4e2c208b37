/**
 * The deliver_sm that carries a delivery report to a client (docs/architecture.md, DLRs):
 * the dispatcher already built every field (addresses swapped, esm_class 0x04,
 * receipt text); this only maps the message onto the PDU and its TLVs. An MO
 * travels as a report too (esm_class 0 or 0x40, no receipt fields); one whose
 * octets do not fit short_message (a data_sm's message_payload from the
 * network) goes in the message_payload TLV (SMPP 3.4 §5.3.2.32).
 */
import type { DeliveryReport } from '@smsgw/proto';
import { createPdu, TlvDefs, type DeliverSm, type Tlvs } from '@smsgw/smpp';

/** The most octets short_message holds (§5.2.22). */
const SHORT_MESSAGE_MAX = 254;

/**
 * Whether the report's octets need the message_payload TLV: an MO longer than
 * short_message holds. Only a session bound as SMPP 3.4 can take it; an SMPP
 * 3.3 session knows no TLVs (docs/smpp-reference.md §3).
 */
export function needsMessagePayload(report: DeliveryReport): boolean {
  return report.shortMessage.length > SHORT_MESSAGE_MAX;
}

/** Thrown when a report that needs message_payload would go to a session without TLVs (a caller's mistake). */
export class NoTlvsForPayloadError extends Error {
  override readonly name = 'NoTlvsForPayloadError';
}

/**
 * Builds the deliver_sm of a delivery report or MO (sequence number assigned
 * when sent); without TLVs for a session bound as SMPP 3.3 (`withTlvs` false:
 * the text alone, docs/smpp-reference.md §3). A report that needs
 * message_payload (needsMessagePayload) cannot be built without TLVs: the
 * caller picks a session that has them.
 */
export function deliverSmOf(report: DeliveryReport, withTlvs = true): DeliverSm {
  const long = needsMessagePayload(report);
  if (long && !withTlvs) {
    throw new NoTlvsForPayloadError(
      `${String(report.shortMessage.length)} octets need message_payload, which an SMPP 3.3 session cannot take`,
    );
  }
  const tlvs = withTlvs ? receiptTlvsOf(report) : {};
  if (long) tlvs.messagePayload = report.shortMessage;
  return createPdu('deliver_sm', {
    sourceAddrTon: report.source?.ton ?? 0,
    sourceAddrNpi: report.source?.npi ?? 0,
    sourceAddr: report.source?.addr ?? '',
    destAddrTon: report.destination?.ton ?? 0,
    destAddrNpi: report.destination?.npi ?? 0,
    destinationAddr: report.destination?.addr ?? '',
    esmClass: report.esmClass,
    dataCoding: report.dataCoding,
    shortMessage: long ? new Uint8Array(0) : report.shortMessage,
    tlvs,
  });
}

/** receipted_message_id, message_state, network_error_code and user_message_reference, when present. */
function receiptTlvsOf(report: DeliveryReport): Tlvs {
  const tlvs: Tlvs = {};
  if (report.receiptedMessageId !== '') tlvs.receiptedMessageId = report.receiptedMessageId;
  // MessageState values are the spec's (§5.2.28); 0 (unspecified) has no wire meaning.
  if (report.messageState !== 0) tlvs.messageState = report.messageState;
  if (report.networkError !== undefined) {
    tlvs.networkErrorCode = { networkType: report.networkError.type, errorCode: report.networkError.code };
  }
  const umr = report.userMessageReference;
  if (umr !== undefined) {
    if (umr.length === 2) {
      tlvs.userMessageReference = ((umr[0] ?? 0) << 8) | (umr[1] ?? 0);
    } else {
      // Not the spec's 2 octets: passed through unchanged, so the client still gets the full value.
      tlvs.unknown = [{ tag: TlvDefs.userMessageReference.tag, value: umr }];
    }
  }
  return tlvs;
}
