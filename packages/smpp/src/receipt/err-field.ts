/**
 * The `err:` field of a receipt (GatewayAPI convention): the low 12 bits
 * (three hex digits) of the internal error code, written as 3 decimal digits,
 * e.g. 0x107E → 0x07E → "126", 0x1013 → "019", 0 → "000"; add 0x1000 to
 * reverse for the 0x10xx SMS codes.
 *
 * The spec gives err 3 characters and receivers enforce it (cloudhopper
 * rejects the whole receipt when err is longer; Kannel reads only 3). Low 12
 * bits above 999 (0x3E8–0xFFF, e.g. GatewayAPI's 0x1902 → 0x902 = 2306) do not
 * fit, so they are written as "999", meaning "other error, see the TLVs";
 * none of the 0x10xx SMS codes (0x001–0x094) comes near it. Non-integer codes
 * are truncated to 32-bit integers first (NaN → 0).
 */
export function errFieldOf(errorCode: number): string {
  const low = errorCode & 0xfff;
  return low > 999 ? '999' : String(low).padStart(3, '0');
}
