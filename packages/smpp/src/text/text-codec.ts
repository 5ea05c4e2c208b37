/**
 * Text ↔ octets by data_coding, dispatching on `alphabetOf`. Binary codings
 * (2, 4, 0xF4–0xF7, …) carry no text: the text functions reject them, while
 * `validatePayload` accepts any octets for them.
 */
import type { Alphabet } from '../constants/data-coding.ts';
import { alphabetOf, DataCoding, dataCodingName } from '../constants/data-coding.ts';
import { CommandStatus } from '../constants/command-status.ts';
import { TextCodingError } from '../errors.ts';
import { decodeGsm7, encodeGsm7, isGsm7Encodable, validateGsm7 } from './gsm7.ts';
import { decodeIso8859_5, encodeIso8859_5 } from './iso8859-5.ts';
import { decodeLatin1, encodeLatin1 } from './latin1.ts';
import { decodeUcs2, encodeUcs2, validateUcs2 } from './ucs2.ts';

function unsupported(dataCoding: number): TextCodingError {
  return new TextCodingError(
    `data_coding ${dataCodingName(dataCoding)} is not supported`,
    CommandStatus.ESME_RINVDCS,
  );
}

function notText(dataCoding: number): TextCodingError {
  return new TextCodingError(
    `data_coding ${dataCodingName(dataCoding)} is binary and carries no text`,
    CommandStatus.ESME_RINVDCS,
  );
}

/** The alphabet of a data_coding; TextCodingError (ESME_RINVDCS) when the library cannot read it. */
export function requireAlphabet(dataCoding: number): Alphabet {
  const alphabet = alphabetOf(dataCoding);
  if (alphabet === undefined) throw unsupported(dataCoding);
  return alphabet;
}

/** Decodes a short message in its data_coding; TextCodingError for binary, unsupported or malformed input. */
export function decodeText(bytes: Uint8Array, dataCoding: number): string {
  switch (requireAlphabet(dataCoding)) {
    case 'gsm7':
      return decodeGsm7(bytes);
    case 'latin1':
      return decodeLatin1(bytes);
    case 'iso8859-5':
      return decodeIso8859_5(bytes);
    case 'ucs2':
      return decodeUcs2(bytes);
    case 'binary':
      throw notText(dataCoding);
  }
}

/** Encodes text in a data_coding; TextCodingError for binary or unsupported codings and characters the coding lacks. */
export function encodeText(text: string, dataCoding: number): Uint8Array {
  switch (requireAlphabet(dataCoding)) {
    case 'gsm7':
      return encodeGsm7(text);
    case 'latin1':
      return encodeLatin1(text);
    case 'iso8859-5':
      return encodeIso8859_5(text);
    case 'ucs2':
      return encodeUcs2(text);
    case 'binary':
      throw notText(dataCoding);
  }
}

/**
 * Checks that a payload is clean in its data_coding (GSM-7 septets < 0x80 with
 * valid escapes, UCS-2 of even length with paired surrogates; Latin-1,
 * ISO-8859-5 and binary accept any octets) without building a string.
 * TextCodingError (ESME_RINVDCS, or ESME_RINVMSGLEN for odd UCS-2) otherwise.
 */
export function validatePayload(bytes: Uint8Array, dataCoding: number): void {
  switch (requireAlphabet(dataCoding)) {
    case 'gsm7':
      validateGsm7(bytes);
      return;
    case 'ucs2':
      validateUcs2(bytes);
      return;
    case 'latin1':
    case 'iso8859-5':
    case 'binary':
      return;
  }
}

/** The data_coding to send `text` in: 0 (GSM-7) when every character fits, else 8 (UCS-2). */
export function chooseDataCoding(text: string): typeof DataCoding.MC_DEFAULT | typeof DataCoding.UCS2 {
  return isGsm7Encodable(text) ? DataCoding.MC_DEFAULT : DataCoding.UCS2;
}
