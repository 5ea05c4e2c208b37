/**
 * What makes two submit_sm "the same submit" for recognising a retry
 * (unsettled-submits.ts): the account and every field of the PDU as it is
 * encoded on the wire, TLVs included, except the header (sequence_number
 * changes on a retry). Addresses, esm_class, registered_delivery,
 * data_coding, short_message or message_payload with their UDH, and the SAR
 * TLVs are all in it, so each part of a concatenated message is its own
 * submit. A SHA-256 digest: entries hold 43 characters, not the payload.
 */
import { encodePdu, type SubmitSm } from '@smsgw/smpp';
import { createHash } from 'node:crypto';

/** Octets of the PDU header (command_length, command_id, command_status, sequence_number). */
const HEADER_LENGTH = 16;

/** The fingerprint of `pdu` submitted by `systemId` (base64url of a SHA-256 digest). */
export function submitFingerprint(systemId: string, pdu: SubmitSm): string {
  const wire = encodePdu({ ...pdu, commandStatus: 0, sequenceNumber: 0 });
  return createHash('sha256')
    .update(systemId)
    .update('\0')
    .update(wire.subarray(HEADER_LENGTH))
    .digest('base64url');
}
