/**
 * --coding and --flash: which data_coding a message goes in, and its bytes.
 * Text codings encode the text; binary takes the file's bytes, or the text
 * argument as hex.
 */
import { alphabetOf, chooseDataCoding, DataCoding, encodeText, TextCodingError } from '@smsgw/smpp';
import { UsageError } from '../cli-error.ts';

/** The --coding names. */
export const CODING_NAMES = ['auto', 'gsm7', 'latin1', 'ucs2', 'binary'] as const;

/** A --coding name. */
export type CodingName = (typeof CODING_NAMES)[number];

const CODING_BY_NAME: Record<Exclude<CodingName, 'auto'>, number> = {
  gsm7: DataCoding.MC_DEFAULT,
  latin1: DataCoding.LATIN1,
  ucs2: DataCoding.UCS2,
  // 8-bit data, class-less: the value Kannel and most clients send for binary.
  binary: DataCoding.OCTET_UNSPECIFIED_4,
};

/** What the user asked for: text or raw bytes, in a coding. */
export interface MessageContent {
  /** The text argument, or the file's contents. */
  readonly text?: string;
  /** A file's raw bytes (binary codings take these as they are). */
  readonly bytes?: Uint8Array;
}

/** A message's data_coding and encoded payload. */
export interface EncodedMessage {
  readonly dataCoding: number;
  readonly payload: Uint8Array;
}

/** Parses --coding: a name, or a data_coding number 0..255. */
export function parseCoding(value: string): CodingName | number {
  if ((CODING_NAMES as readonly string[]).includes(value)) return value as CodingName;
  const n = /^(0x[0-9a-f]{1,2}|\d{1,3})$/i.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > 255) {
    throw new UsageError(
      `--coding must be one of ${CODING_NAMES.join(', ')} or a number 0..255, not ${value}`,
    );
  }
  return n;
}

function hexBytes(text: string): Uint8Array {
  const hex = text.replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(hex)) {
    throw new UsageError('binary content given as text must be hex, e.g. 0b05040b8423f0 (or use --file)');
  }
  return Buffer.from(hex, 'hex');
}

/** The flash variant of a coding (class 0: 0xF0 for GSM-7, 0x18 for UCS-2), or the coding unchanged. */
export function flashCodingOf(dataCoding: number): number {
  if (dataCoding === DataCoding.MC_DEFAULT) return DataCoding.GSM7_FLASH;
  if (dataCoding === DataCoding.UCS2) return DataCoding.UCS2_FLASH;
  return dataCoding;
}

/** Encodes the content; UsageError when it cannot go in the coding asked for. */
export function encodeMessage(
  content: MessageContent,
  coding: CodingName | number,
  flash: boolean,
): EncodedMessage {
  const text =
    content.text ?? (content.bytes === undefined ? '' : Buffer.from(content.bytes).toString('utf8'));
  let dataCoding =
    coding === 'auto' ? chooseDataCoding(text) : typeof coding === 'number' ? coding : CODING_BY_NAME[coding];
  if (flash) dataCoding = flashCodingOf(dataCoding);
  const alphabet = alphabetOf(dataCoding);
  if (alphabet === undefined) {
    throw new UsageError(
      `data_coding ${dataCoding} has no known alphabet; use binary content with --coding binary`,
    );
  }
  if (alphabet === 'binary') {
    return { dataCoding, payload: content.bytes ?? hexBytes(content.text ?? '') };
  }
  try {
    return { dataCoding, payload: encodeText(text, dataCoding) };
  } catch (err) {
    if (err instanceof TextCodingError)
      throw new UsageError(`the text cannot be sent in data_coding ${dataCoding}: ${err.message}`);
    throw err;
  }
}
