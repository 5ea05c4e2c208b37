/**
 * UCS-2, data_coding 8 (and 0x18, 0xE0–0xEF): big-endian 16-bit code units,
 * read as UTF-16BE as everyone does in practice (docs/smpp-reference.md §6.5), so
 * characters outside the BMP travel as surrogate pairs.
 *
 * Strict both ways: an odd octet count is ESME_RINVMSGLEN (the length is
 * wrong); a lone or reversed surrogate is ESME_RINVDCS (the content is not
 * valid in its coding, for which 3.4 has no status; 0x104 is what
 * GatewayAPI-style servers answer).
 */
import { Buffer } from 'node:buffer';
import { CommandStatus } from '../constants/command-status.ts';
import { TextCodingError } from '../errors.ts';

const isHigh = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;

function hex4(unit: number): string {
  return unit.toString(16).toUpperCase().padStart(4, '0');
}

/** Checks that `bytes` is well-formed UTF-16BE (even length, surrogates paired high then low) without building a string. */
export function validateUcs2(bytes: Uint8Array): void {
  const length = bytes.length;
  if ((length & 1) !== 0) {
    throw new TextCodingError(
      `UCS-2 text has an odd length of ${length} octets`,
      CommandStatus.ESME_RINVMSGLEN,
    );
  }
  for (let i = 0; i < length; i += 2) {
    const unit = ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = i + 2 < length ? ((bytes[i + 2] ?? 0) << 8) | (bytes[i + 3] ?? 0) : -1;
    if (!isHigh(unit) || !isLow(next)) {
      throw new TextCodingError(
        `unpaired UTF-16 surrogate U+${hex4(unit)} at offset ${i}`,
        CommandStatus.ESME_RINVDCS,
      );
    }
    i += 2;
  }
}

/** Decodes UTF-16BE; TextCodingError for an odd length (ESME_RINVMSGLEN) or an unpaired surrogate (ESME_RINVDCS). */
export function decodeUcs2(bytes: Uint8Array): string {
  validateUcs2(bytes);
  // One copy, then Node's native decoder: swap16 turns big-endian into the little-endian it reads.
  return Buffer.from(bytes).swap16().toString('utf16le');
}

/** True when `text` is well-formed UTF-16 (no lone surrogates), i.e. encodable as UCS-2/UTF-16BE. */
export function isUcs2Encodable(text: string): boolean {
  return text.isWellFormed();
}

function loneSurrogateIndex(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    if (!isHigh(unit) || !isLow(i + 1 < text.length ? text.charCodeAt(i + 1) : -1)) return i;
    i++;
  }
  return -1;
}

/** `text` as UTF-16BE; TextCodingError (ESME_RINVDCS) for a lone surrogate in the string. */
export function encodeUcs2(text: string): Uint8Array {
  if (!text.isWellFormed()) {
    const index = loneSurrogateIndex(text);
    throw new TextCodingError(
      `unpaired UTF-16 surrogate U+${hex4(text.charCodeAt(index))} at index ${index}`,
      CommandStatus.ESME_RINVDCS,
    );
  }
  // Node's native UTF-16LE writer into our own array, then swap to big-endian in place.
  const out = new Uint8Array(text.length * 2);
  const view = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  view.write(text, 'utf16le');
  view.swap16();
  return out;
}
