/**
 * C-Octet String text helpers for the encoder. SMPP C-Octet Strings are ASCII
 * and end at the first NUL (spec §3.1), so a value may hold 0x01–0x7F only.
 */

/** True when every character of `value` is ASCII other than NUL (0x01–0x7F). */
export function isCOctetText(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0 || code > 0x7f) return false;
  }
  return true;
}

/**
 * Writes `value` (already checked by isCOctetText) at `pos` one octet per
 * character and returns the offset after it. A plain loop beats
 * Buffer#write for the short strings SMPP carries.
 */
export function writeAscii(bytes: Uint8Array, pos: number, value: string): number {
  const n = value.length;
  for (let i = 0; i < n; i++) bytes[pos + i] = value.charCodeAt(i);
  return pos + n;
}
