/**
 * GSM 7-bit packing (3GPP TS 23.038 §6.1.2.1.1, docs/smpp-reference.md §6.2): septet i
 * occupies bits [fill + 7i, fill + 7i + 6] of the stream, least significant bit
 * first. SMPP carries septets unpacked; packing is for the air interface and
 * for peers that agreed to packed GSM bilaterally.
 */
import { CommandStatus } from '../constants/command-status.ts';
import { TextCodingError } from '../errors.ts';

function checkFillBits(fillBits: number): void {
  if (!Number.isInteger(fillBits) || fillBits < 0 || fillBits > 6) {
    throw new TextCodingError(`fill bits must be 0..6, got ${fillBits}`, CommandStatus.ESME_RINVMSGLEN);
  }
}

/**
 * Fill bits that put the first septet after a UDH of `udhLength` octets
 * (including the UDHL octet) on a septet boundary (3GPP TS 23.040 §9.2.3.24).
 */
export function udhFillBits(udhLength: number): number {
  return (7 - ((udhLength * 8) % 7)) % 7;
}

/** Octets that `septetCount` septets take when packed after `fillBits` fill bits. */
export function packedLength(septetCount: number, fillBits = 0): number {
  return Math.ceil((fillBits + septetCount * 7) / 8);
}

/** Packs septets (each < 0x80) into octets, leaving `fillBits` zero bits at the start. */
export function packSeptets(septets: Uint8Array, fillBits = 0): Uint8Array {
  checkFillBits(fillBits);
  const out = new Uint8Array(packedLength(septets.length, fillBits));
  let bit = fillBits;
  for (let i = 0; i < septets.length; i++, bit += 7) {
    const septet = septets[i] ?? 0;
    if (septet >= 0x80) {
      throw new TextCodingError(
        `octet 0x${septet.toString(16)} at offset ${i} is not a septet`,
        CommandStatus.ESME_RINVDCS,
      );
    }
    const octet = bit >> 3;
    const shift = bit & 7;
    out[octet] = (out[octet] ?? 0) | ((septet << shift) & 0xff);
    if (shift > 1) out[octet + 1] = septet >> (8 - shift);
  }
  return out;
}

/**
 * Unpacks `septetCount` septets from packed octets that start with `fillBits`
 * fill bits. Without a count, every whole septet the octets hold is returned;
 * note that 7 spare bits at the end then read as an extra '@' (0x00), which is
 * why 3GPP pads with CR and why callers should pass the count they know.
 */
export function unpackSeptets(octets: Uint8Array, septetCount?: number, fillBits = 0): Uint8Array {
  checkFillBits(fillBits);
  const available = Math.max(0, Math.floor((octets.length * 8 - fillBits) / 7));
  const count = septetCount ?? available;
  if (!Number.isInteger(count) || count < 0 || count > available) {
    throw new TextCodingError(
      `${octets.length} packed octets with ${fillBits} fill bits hold ${available} septets, not ${count}`,
      CommandStatus.ESME_RINVMSGLEN,
    );
  }
  const out = new Uint8Array(count);
  let bit = fillBits;
  for (let i = 0; i < count; i++, bit += 7) {
    const octet = bit >> 3;
    const shift = bit & 7;
    let value = (octets[octet] ?? 0) >> shift;
    if (shift > 1) value |= (octets[octet + 1] ?? 0) << (8 - shift);
    out[i] = value & 0x7f;
  }
  return out;
}
