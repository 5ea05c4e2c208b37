/**
 * data_coding values (SMPP 3.4 §5.2.19) and the GSM TP-DCS values (3GPP TS
 * 23.038 §4) that SMPP peers send in the same octet.
 *
 * data_coding 1 (IA5) has no alphabet in this table: the spec means ASCII, yet
 * node-smpp writes some characters as GSM 03.38 escapes under it, so a general
 * reading would be a guess. ia5ToGsm7 (text/ia5.ts) reads it strictly as 7-bit
 * ASCII that GSM-7 can carry, which is what the gateway accepts.
 */
export const DataCoding = {
  /** MC default alphabet; GSM 03.38 on GSM networks and in this gateway. */
  MC_DEFAULT: 0x00,
  /** IA5 (CCITT T.50) / ASCII on paper; GSM bytes in node-smpp's practice. */
  IA5: 0x01,
  OCTET_UNSPECIFIED: 0x02,
  LATIN1: 0x03,
  OCTET_UNSPECIFIED_4: 0x04,
  JIS: 0x05,
  /** ISO-8859-5. */
  CYRILLIC: 0x06,
  /** ISO-8859-8. */
  LATIN_HEBREW: 0x07,
  /** UCS-2 big-endian (UTF-16BE in practice, docs/smpp-reference.md §6.5). */
  UCS2: 0x08,
  PICTOGRAM: 0x09,
  ISO_2022_JP: 0x0a,
  EXTENDED_KANJI_JIS: 0x0d,
  KS_C_5601: 0x0e,
  /** TP-DCS 0001 0000: GSM-7, message class 0. */
  GSM7_CLASS0: 0x10,
  /** TP-DCS 0001 1000: UCS-2, message class 0 ("flash"). */
  UCS2_FLASH: 0x18,
  /** TP-DCS 1111 0000: GSM-7, message class 0 ("flash"). */
  GSM7_FLASH: 0xf0,
  /** TP-DCS 1111 0001: GSM-7, class 1 (ME-specific). */
  GSM7_CLASS1: 0xf1,
  /** TP-DCS 1111 0010: GSM-7, class 2 (SIM-specific). */
  GSM7_CLASS2: 0xf2,
  /** TP-DCS 1111 0011: GSM-7, class 3 (TE-specific). */
  GSM7_CLASS3: 0xf3,
  /** TP-DCS 1111 0100: 8-bit data, class 0. */
  BINARY_CLASS0: 0xf4,
  /** TP-DCS 1111 0101: 8-bit data, class 1 (common for WAP push). */
  BINARY_CLASS1: 0xf5,
  /** TP-DCS 1111 0110: 8-bit data, class 2 (SIM). */
  BINARY_CLASS2: 0xf6,
  /** TP-DCS 1111 0111: 8-bit data, class 3. */
  BINARY_CLASS3: 0xf7,
} as const;

/** The name of a data_coding in `DataCoding`, e.g. `UCS2_FLASH`. */
export type DataCodingName = keyof typeof DataCoding;

/** How the octets of a short message are to be read. */
export type Alphabet = 'gsm7' | 'latin1' | 'iso8859-5' | 'ucs2' | 'binary';

/** GSM message class (3GPP 23.038 §4): 0 immediate display ("flash"), 1 ME, 2 SIM, 3 TE. */
export type MessageClass = 0 | 1 | 2 | 3;

const nameByValue = new Map<number, DataCodingName>(
  Object.entries(DataCoding).map(([name, value]) => [value, name as DataCodingName]),
);

/** The `DataCoding` name of a value, or its hex form (`0x4a`) when it has none. */
export function dataCodingName(dataCoding: number): string {
  return nameByValue.get(dataCoding) ?? `0x${(dataCoding & 0xff).toString(16).padStart(2, '0')}`;
}

// TP-DCS bits 3–2 in the general data coding groups: 00 GSM-7, 01 8-bit, 10 UCS-2, 11 reserved.
const GENERAL_ALPHABETS: readonly (Alphabet | undefined)[] = ['gsm7', 'binary', 'ucs2', undefined];

// The SMPP 3.4 table proper (0x00–0x0F); values not listed are reserved or not implemented.
const SMPP_ALPHABETS: readonly (Alphabet | undefined)[] = [
  'gsm7', // 0x00 MC default
  undefined, // 0x01 IA5: ambiguous in practice, see the module comment
  'binary', // 0x02
  'latin1', // 0x03
  'binary', // 0x04
  undefined, // 0x05 JIS
  'iso8859-5', // 0x06
  undefined, // 0x07 ISO-8859-8
  'ucs2', // 0x08
];

// One entry per octet value, computed once so that alphabetOf is a single load.
const ALPHABET_BY_VALUE: readonly (Alphabet | undefined)[] = Array.from({ length: 256 }, (_, dcs) =>
  computeAlphabet(dcs),
);

function computeAlphabet(dcs: number): Alphabet | undefined {
  if (dcs < 0x10) return SMPP_ALPHABETS[dcs];
  // 0x10–0x1F: TP-DCS general group, uncompressed, message class present.
  // 0x20–0x3F are compressed (bit 5), 0x40–0xBF reserved in SMPP 3.4.
  if (dcs < 0x20) return GENERAL_ALPHABETS[(dcs >> 2) & 0x03];
  if (dcs < 0xc0) return undefined;
  // 0xC0–0xDF: message waiting indication, discard / store, text in GSM-7.
  if (dcs < 0xe0) return 'gsm7';
  // 0xE0–0xEF: message waiting indication, store, text in UCS-2.
  if (dcs < 0xf0) return 'ucs2';
  // 0xF0–0xFF: data coding / message class group; bit 2 picks 8-bit over GSM-7.
  // Bit 3 is reserved (should be 0); it is ignored, as Wireshark and node-smpp do.
  return (dcs & 0x04) === 0 ? 'gsm7' : 'binary';
}

/**
 * The alphabet of a data_coding, or undefined when this library cannot read it
 * (IA5, JIS, ISO-8859-8, the Japanese and Korean codings, compressed and reserved values).
 */
export function alphabetOf(dataCoding: number): Alphabet | undefined {
  return ALPHABET_BY_VALUE[dataCoding];
}

/** The GSM message class carried by a data_coding, or undefined when it carries none. */
export function messageClassOf(dataCoding: number): MessageClass | undefined {
  // Class is present in the general group with bit 4 set (0x10–0x1F; 0x1C–0x1F have a
  // reserved alphabet) and in the 0xF0 group (bits 1–0).
  if ((dataCoding >= 0x10 && dataCoding < 0x1c) || (dataCoding >= 0xf0 && dataCoding <= 0xff)) {
    return (dataCoding & 0x03) as MessageClass;
  }
  return undefined;
}

/** True when the data_coding asks for immediate display (message class 0, "flash SMS"). */
export function isFlash(dataCoding: number): boolean {
  return messageClassOf(dataCoding) === 0;
}

/**
 * The same alphabet with message class 0 (flash), or undefined when the coding
 * has no class-0 form (Latin-1, ISO-8859-5, IA5, message waiting groups): a
 * flash message in those goes with dest_addr_subunit 1 instead (docs/smpp-reference.md §4.2).
 */
export function classZeroCodingOf(dataCoding: number): number | undefined {
  if (messageClassOf(dataCoding) !== undefined) return dataCoding & ~0x03;
  if (dataCoding === DataCoding.MC_DEFAULT) return DataCoding.GSM7_FLASH;
  if (dataCoding === DataCoding.UCS2) return DataCoding.UCS2_FLASH;
  if (dataCoding === DataCoding.OCTET_UNSPECIFIED || dataCoding === DataCoding.OCTET_UNSPECIFIED_4) {
    return DataCoding.BINARY_CLASS0;
  }
  return undefined;
}
