/**
 * ISO-8859-5 (Latin/Cyrillic), data_coding 6. 0x00–0xA0 and 0xAD (soft hyphen)
 * are the Latin-1 code points; 0xA1–0xFF are Cyrillic U+0401..U+045F in order,
 * except 0xF0 № (U+2116) and 0xFD § (U+00A7). Decoding is total.
 */
import { CommandStatus } from '../constants/command-status.ts';
import { TextCodingError } from '../errors.ts';
import { codeUnitScratch, stringFromCodeUnits } from './code-units.ts';

/** Octet → UTF-16 code unit. */
export const ISO8859_5_DECODE: Uint16Array = Uint16Array.from({ length: 256 }, (_, octet) => {
  if (octet <= 0xa0 || octet === 0xad) return octet;
  if (octet === 0xf0) return 0x2116;
  if (octet === 0xfd) return 0x00a7;
  return 0x0400 + (octet - 0xa0);
});

const NONE = -1;
// Code unit → octet, or NONE; covers U+0000..U+2116 (№, the highest code point).
const ENCODE = new Int16Array(0x2117).fill(NONE);
ISO8859_5_DECODE.forEach((unit, octet) => {
  ENCODE[unit] = octet;
});

function octetOf(unit: number): number {
  return unit < ENCODE.length ? (ENCODE[unit] ?? NONE) : NONE;
}

/** True when every character of `text` is in ISO-8859-5. */
export function isIso8859_5Encodable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (octetOf(text.charCodeAt(i)) === NONE) return false;
  }
  return true;
}

/** `text` in ISO-8859-5; TextCodingError (ESME_RINVDCS) for a character the charset lacks. */
export function encodeIso8859_5(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const octet = octetOf(text.charCodeAt(i));
    if (octet === NONE) {
      const hex = (text.codePointAt(i) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      throw new TextCodingError(
        `character U+${hex} at index ${i} is not in ISO-8859-5`,
        CommandStatus.ESME_RINVDCS,
      );
    }
    out[i] = octet;
  }
  return out;
}

/** Decodes ISO-8859-5; total (every octet is a character). */
export function decodeIso8859_5(bytes: Uint8Array): string {
  const length = bytes.length;
  const units = codeUnitScratch(length);
  for (let i = 0; i < length; i++) units[i] = ISO8859_5_DECODE[bytes[i] ?? 0] ?? 0;
  return stringFromCodeUnits(units, length);
}
