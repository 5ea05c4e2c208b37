/**
 * GSM 03.38 default alphabet, unpacked: one septet per octet with the top bit
 * clear, which is how SMPP carries a 7-bit data_coding (docs/smpp-reference.md §6.2); the
 * MC packs for the air. Extension characters take two septets (escape + code).
 *
 * Decoding is strict: an octet ≥ 0x80, an escape followed by a code with no
 * extension character, or a trailing escape is an error, never a guess
 * (3GPP 23.038 would display the basic character; a gateway must reject).
 * Errors carry ESME_RINVDCS: SMPP 3.4 has no status for "content not valid in
 * its data_coding", and 5.0's ESME_RINVDCS (0x104) is what GatewayAPI-style
 * servers answer.
 */
import { CommandStatus } from '../constants/command-status.ts';
import { TextCodingError } from '../errors.ts';
import { codeUnitScratch, stringFromCodeUnits } from './code-units.ts';
import {
  GSM7_BASIC_DECODE,
  GSM7_ENCODE,
  GSM7_ESCAPE,
  GSM7_EXTENSION_DECODE,
  GSM7_NONE,
} from './gsm7-tables.ts';

const ENCODE_LIMIT = GSM7_ENCODE.length;

/**
 * Septets needed for `text`, or `-(index + 1)` of the first character the
 * alphabet does not have. One pass, no allocation.
 */
function septetsOrFailure(text: string): number {
  let septets = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const code = unit < ENCODE_LIMIT ? (GSM7_ENCODE[unit] ?? GSM7_NONE) : GSM7_NONE;
    if (code === GSM7_NONE) return -(i + 1);
    septets += code > 0xff ? 2 : 1;
  }
  return septets;
}

function unencodable(text: string, index: number): TextCodingError {
  const codePoint = text.codePointAt(index) ?? 0;
  const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
  return new TextCodingError(
    `character U+${hex} at index ${index} is not in the GSM 03.38 alphabet`,
    CommandStatus.ESME_RINVDCS,
  );
}

/** True when every character of `text` is in the GSM 03.38 basic or extension table. */
export function isGsm7Encodable(text: string): boolean {
  return septetsOrFailure(text) >= 0;
}

/** Septets `text` takes in GSM-7 (extension characters count 2); TextCodingError when it does not fit. */
export function gsm7SeptetCount(text: string): number {
  const septets = septetsOrFailure(text);
  if (septets < 0) throw unencodable(text, -septets - 1);
  return septets;
}

/** `text` as unpacked GSM-7 septets, one per octet; TextCodingError (ESME_RINVDCS) for a character outside the alphabet. */
export function encodeGsm7(text: string): Uint8Array {
  const out = new Uint8Array(gsm7SeptetCount(text));
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    // gsm7SeptetCount has checked every unit, so the lookup is in range and assigned.
    const code = GSM7_ENCODE[text.charCodeAt(i)] ?? GSM7_NONE;
    if (code > 0xff) {
      out[o++] = GSM7_ESCAPE;
      out[o++] = code & 0x7f;
    } else {
      out[o++] = code;
    }
  }
  return out;
}

function invalidOctet(octet: number, offset: number): TextCodingError {
  return new TextCodingError(
    `octet 0x${octet.toString(16).padStart(2, '0')} at offset ${offset} is not a GSM 7-bit septet`,
    CommandStatus.ESME_RINVDCS,
  );
}

function invalidEscape(septet: number, offset: number): TextCodingError {
  return new TextCodingError(
    `escape followed by 0x${septet.toString(16).padStart(2, '0')} at offset ${offset} has no GSM 03.38 extension character`,
    CommandStatus.ESME_RINVDCS,
  );
}

function trailingEscape(offset: number): TextCodingError {
  return new TextCodingError(
    `GSM-7 text ends with an escape at offset ${offset}`,
    CommandStatus.ESME_RINVDCS,
  );
}

/** Decodes unpacked GSM-7 septets; TextCodingError (ESME_RINVDCS) for anything that is not clean GSM 03.38. */
export function decodeGsm7(septets: Uint8Array): string {
  const length = septets.length;
  const units = codeUnitScratch(length);
  let u = 0;
  for (let i = 0; i < length; i++) {
    const septet = septets[i] ?? 0;
    if (septet >= 0x80) throw invalidOctet(septet, i);
    if (septet !== GSM7_ESCAPE) {
      units[u++] = GSM7_BASIC_DECODE[septet] ?? 0;
      continue;
    }
    if (++i >= length) throw trailingEscape(i - 1);
    const code = septets[i] ?? 0;
    const unit = code < 0x80 ? (GSM7_EXTENSION_DECODE[code] ?? 0) : 0;
    if (unit === 0) throw code >= 0x80 ? invalidOctet(code, i) : invalidEscape(code, i);
    units[u++] = unit;
  }
  return stringFromCodeUnits(units, u);
}

/** Checks that `septets` is clean unpacked GSM-7 without building a string; throws what `decodeGsm7` would. */
export function validateGsm7(septets: Uint8Array): void {
  const length = septets.length;
  for (let i = 0; i < length; i++) {
    const septet = septets[i] ?? 0;
    if (septet >= 0x80) throw invalidOctet(septet, i);
    if (septet !== GSM7_ESCAPE) continue;
    if (++i >= length) throw trailingEscape(i - 1);
    const code = septets[i] ?? 0;
    if (code >= 0x80) throw invalidOctet(code, i);
    if (GSM7_EXTENSION_DECODE[code] === 0) throw invalidEscape(code, i);
  }
}
