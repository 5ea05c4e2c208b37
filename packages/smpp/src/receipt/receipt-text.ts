/** The `text:` field holds at most this many characters (3.4 Appendix B). */
export const RECEIPT_TEXT_LENGTH = 20;

/**
 * The `text:` field for a receipt: the first `max` characters (code points,
 * so a surrogate pair is never split) of `text`, made safe for a one-line
 * receipt. Control characters (C0 including NUL, CR and LF, DEL and C1) each
 * become a space, so the receipt stays one line and keeps its width; a lone
 * surrogate becomes '?', so the text stays encodable.
 */
export function receiptTextOf(text: string, max: number = RECEIPT_TEXT_LENGTH): string {
  let out = '';
  let count = 0;
  let i = 0;
  const len = text.length;
  while (i < len && count < max) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      out += ' ';
      i++;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text.slice(i, i + 2);
        i += 2;
      } else {
        out += '?';
        i++;
      }
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      out += '?';
      i++;
    } else {
      out += text.charAt(i);
      i++;
    }
    count++;
  }
  return out;
}
