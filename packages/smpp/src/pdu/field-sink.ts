/**
 * The encoder walks each PDU body twice through the same code: once into a
 * PduSizer (validates and counts octets) and once into a PduWriter (writes
 * into the one buffer of exactly that size). Sharing the walk keeps the two
 * passes from ever disagreeing.
 */
import type { Tlvs } from '../constants/tlv.ts';
import type { CStringField } from './fields.ts';

/** Receives a PDU body field by field, in wire order. */
export interface FieldSink {
  /** A 1-octet integer. */
  u8(value: number, field: string): void;
  /** A 4-octet big-endian integer. */
  u32(value: number, field: string): void;
  /** A C-Octet String. */
  cstring(value: string, field: CStringField): void;
  /** An SMPP time field: '' or 16 characters. */
  time(value: string, field: CStringField): void;
  /** sm_length followed by short_message. */
  shortMessage(value: Uint8Array): void;
  /** The optional parameters, in key order and then `unknown`. */
  tlvs(value: Tlvs): void;
}
