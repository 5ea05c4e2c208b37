/**
 * ISO-8859-1 (Latin-1), data_coding 3: every octet is the code point of the
 * same value, so decoding is total and encoding fails only above U+00FF.
 * Decoding uses Node's `latin1` Buffer decoder, which is true ISO-8859-1
 * (WHATWG TextDecoder('latin1') would be windows-1252).
 */
import { Buffer } from 'node:buffer';
import { CommandStatus } from '../constants/command-status.ts';
import { TextCodingError } from '../errors.ts';

/** True when every character of `text` is in Latin-1 (U+0000..U+00FF). */
export function isLatin1Encodable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0xff) return false;
  }
  return true;
}

/** `text` in ISO-8859-1; TextCodingError (ESME_RINVDCS) for a character above U+00FF. */
export function encodeLatin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit > 0xff) {
      const hex = (text.codePointAt(i) ?? unit).toString(16).toUpperCase().padStart(4, '0');
      throw new TextCodingError(
        `character U+${hex} at index ${i} is not in ISO-8859-1`,
        CommandStatus.ESME_RINVDCS,
      );
    }
    out[i] = unit;
  }
  return out;
}

/** Decodes ISO-8859-1; total (every octet is a character). */
export function decodeLatin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
