/**
 * interface_version values (SMPP 3.4 §5.2.4) sent in bind PDUs and the
 * sc_interface_version TLV. Any value ≤ 0x33 means SMPP 3.3 or earlier.
 */
export const InterfaceVersion = {
  SMPP_3_3: 0x33,
  SMPP_3_4: 0x34,
  /** node-smpp binds with 0x50 by default. */
  SMPP_5_0: 0x50,
} as const;

/**
 * True when a peer bound with this interface_version understands TLVs
 * (3.4 and later). Receipts to older binds must go without TLVs (ksmppd
 * gates on the same rule).
 */
export function supportsTlvs(interfaceVersion: number): boolean {
  return interfaceVersion >= InterfaceVersion.SMPP_3_4;
}
