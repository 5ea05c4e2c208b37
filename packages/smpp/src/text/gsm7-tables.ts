/**
 * GSM 03.38 / 3GPP TS 23.038 §6.2.1 default alphabet and its extension table
 * (docs/smpp-reference.md §6.1), as lookup tables built once at load.
 */

/** The escape septet that selects the extension table for the next septet. */
export const GSM7_ESCAPE = 0x1b;

/**
 * The basic table, indexed by septet. 0x09 is Ç (U+00C7) as 3GPP draws it; 0x1B
 * (escape) holds U+FFFF because it is not a character.
 */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\uffffÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** The extension table: septet after an escape → character. Every other septet is unassigned. */
const EXTENSION: readonly (readonly [number, string])[] = [
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
];

/** Septet → UTF-16 code unit of the basic table (0xFFFF for the escape). */
export const GSM7_BASIC_DECODE: Uint16Array = Uint16Array.from(BASIC, (c) => c.charCodeAt(0));

/** Septet after an escape → UTF-16 code unit of the extension table, 0 where unassigned. */
export const GSM7_EXTENSION_DECODE: Uint16Array = new Uint16Array(128);

/** Sentinel in `GSM7_ENCODE` for a character the alphabet does not have. */
export const GSM7_NONE = 0xffff;

/**
 * UTF-16 code unit → encoding: a septet (< 0x80), `0x1B00 | septet` for an
 * extension character (two septets), or `GSM7_NONE`. Covers U+0000..U+20AC (€,
 * the highest code point in either table); anything above is not encodable.
 */
export const GSM7_ENCODE: Uint16Array = new Uint16Array(0x20ad).fill(GSM7_NONE);

for (let septet = 0; septet < 128; septet++) {
  const unit = GSM7_BASIC_DECODE[septet] ?? GSM7_NONE;
  if (unit !== GSM7_NONE) GSM7_ENCODE[unit] = septet;
}
// Unicode's GSM0338.TXT maps 0x09 to ç; accept both cases on encode (docs/smpp-reference.md §6.1).
GSM7_ENCODE[0xe7] = 0x09;
for (const [septet, char] of EXTENSION) {
  const unit = char.charCodeAt(0);
  GSM7_EXTENSION_DECODE[septet] = unit;
  GSM7_ENCODE[unit] = (GSM7_ESCAPE << 8) | septet;
}
