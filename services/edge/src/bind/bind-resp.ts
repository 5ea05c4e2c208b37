/**
 * The fields of a successful bind_*_resp: the gateway's system_id, and
 * sc_interface_version 0x34 for a client bound as SMPP 3.4 or later; a 3.3
 * client (interface_version < 0x34) gets no TLV at all (docs/smpp-reference.md §3).
 */
import { InterfaceVersion, supportsTlvs, type Tlvs } from '@smsgw/smpp';

/** The bind_*_resp fields for a client that bound with `interfaceVersion`. */
export function bindRespOf(
  systemId: string,
  interfaceVersion: number,
): { readonly systemId: string; readonly tlvs: Tlvs } {
  const tlvs: Tlvs = supportsTlvs(interfaceVersion) ? { scInterfaceVersion: InterfaceVersion.SMPP_3_4 } : {};
  return { systemId, tlvs };
}
