/**
 * The characters of a user_message_reference, for the receipt's `text:` field.
 *
 * SMPP 3.4 §5.3.2.17 makes the TLV a 2-octet integer, and that is what the edge
 * accepts and stores (big-endian), so its characters are the decimal number
 * the client sent (12345 → "12345"). GatewayAPI echoes it as text, so a value
 * of any other length is read as octets, one character each (Latin-1).
 */
export function referenceTextOf(reference: Uint8Array | undefined): string {
  if (reference === undefined) return '';
  if (reference.length === 2) return String(((reference[0] ?? 0) << 8) | (reference[1] ?? 0));
  return String.fromCharCode(...reference.subarray(0, 64));
}
