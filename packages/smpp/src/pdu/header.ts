/**
 * The 16-octet PDU header (SMPP 3.4 §3.2): command_length, command_id,
 * command_status and sequence_number, each a 4-octet big-endian unsigned integer.
 */
import { CommandStatus } from '../constants/command-status.ts';
import { PduDecodeError } from '../errors.ts';

/** Octets in a PDU header; also the smallest valid command_length. */
export const PDU_HEADER_LENGTH = 16;

/** The four header fields as read from the wire. */
export interface PduHeaderFields {
  commandLength: number;
  commandId: number;
  commandStatus: number;
  sequenceNumber: number;
}

/** Big-endian unsigned 32-bit read without bounds checks (callers check). */
function u32At(bytes: Uint8Array, at: number): number {
  // Indexing never returns undefined here: every caller has checked the bounds.
  return (
    ((bytes[at] as number) * 0x1000000 +
      (((bytes[at + 1] as number) << 16) | ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number))) >>>
    0
  );
}

/**
 * Reads the 16 header octets at `offset` (default 0). Only checks that 16
 * octets are available; the values (command_length ≥ 16, a known command_id)
 * are the caller's to judge.
 */
export function readPduHeader(bytes: Uint8Array, offset = 0): PduHeaderFields {
  if (!Number.isInteger(offset) || offset < 0 || bytes.length - offset < PDU_HEADER_LENGTH) {
    throw new PduDecodeError(
      CommandStatus.ESME_RINVCMDLEN,
      `a PDU header needs ${PDU_HEADER_LENGTH} octets at offset ${offset} of ${bytes.length}`,
    );
  }
  return {
    commandLength: u32At(bytes, offset),
    commandId: u32At(bytes, offset + 4),
    commandStatus: u32At(bytes, offset + 8),
    sequenceNumber: u32At(bytes, offset + 12),
  };
}
