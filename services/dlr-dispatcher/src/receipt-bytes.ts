/**
 * The receipt text as deliver_sm short_message octets for data_coding 0.
 *
 * data_coding 0 is "MC default alphabet": some clients read it as GSM 03.38
 * (unpacked), others as ASCII/IA5. Only the characters whose code is the same
 * in both (letters, digits, space and most punctuation) survive either
 * reading; every other character becomes '?'. The receipt's fixed fields use
 * only letters, digits, ':' and spaces, and the id is checked to be printable
 * ASCII by formatReceipt, so in practice only the `text:` field can lose a
 * character (the full user_message_reference is still in its TLV).
 */

/** 1 where the ASCII code is also the GSM 03.38 default-alphabet code of the same character. */
const SAFE = new Uint8Array(128);
for (let c = 0x20; c <= 0x7a; c++) SAFE[c] = 1;
// GSM 03.38 puts other characters at these ASCII codes: $ @ [ \ ] ^ _ `.
for (const c of [0x24, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60]) SAFE[c] = 0;

const QUESTION_MARK = 0x3f;

/** The octets of `text` for data_coding 0, each character outside the GSM-7/ASCII common set as '?'. */
export function receiptBytesOf(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A surrogate pair is one character: one '?' for both halves.
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    out[n++] = c < 128 && SAFE[c] === 1 ? c : QUESTION_MARK;
  }
  return n === out.length ? out : out.subarray(0, n);
}
