/**
 * Optional parameters (TLVs) of SMPP 3.4 (spec §5.3.2) plus the vendor TLV
 * 0x2900 message_class. One row per TLV: the camelCase key used in `Tlvs`, the
 * spec name, the tag and the value type. Lengths are the spec's:
 * - `u8`/`u16`/`u32`: unsigned big-endian integer of exactly 1/2/4 octets
 * - `cstring`: C-Octet String, `max` includes the NUL
 * - `octets`: Octet String of `min`..`max` octets
 * - `empty`: zero-length value (presence is the information)
 * - `networkErrorCode`: 3 octets, network type (1) + error code (2)
 */
export const TlvDefs = {
  destAddrSubunit: { name: 'dest_addr_subunit', tag: 0x0005, type: 'u8' },
  destNetworkType: { name: 'dest_network_type', tag: 0x0006, type: 'u8' },
  destBearerType: { name: 'dest_bearer_type', tag: 0x0007, type: 'u8' },
  destTelematicsId: { name: 'dest_telematics_id', tag: 0x0008, type: 'u16' },
  sourceAddrSubunit: { name: 'source_addr_subunit', tag: 0x000d, type: 'u8' },
  sourceNetworkType: { name: 'source_network_type', tag: 0x000e, type: 'u8' },
  sourceBearerType: { name: 'source_bearer_type', tag: 0x000f, type: 'u8' },
  sourceTelematicsId: { name: 'source_telematics_id', tag: 0x0010, type: 'u8' },
  qosTimeToLive: { name: 'qos_time_to_live', tag: 0x0017, type: 'u32' },
  payloadType: { name: 'payload_type', tag: 0x0019, type: 'u8' },
  additionalStatusInfoText: { name: 'additional_status_info_text', tag: 0x001d, type: 'cstring', max: 256 },
  receiptedMessageId: { name: 'receipted_message_id', tag: 0x001e, type: 'cstring', max: 65 },
  msMsgWaitFacilities: { name: 'ms_msg_wait_facilities', tag: 0x0030, type: 'u8' },
  privacyIndicator: { name: 'privacy_indicator', tag: 0x0201, type: 'u8' },
  sourceSubaddress: { name: 'source_subaddress', tag: 0x0202, type: 'octets', min: 2, max: 23 },
  destSubaddress: { name: 'dest_subaddress', tag: 0x0203, type: 'octets', min: 2, max: 23 },
  userMessageReference: { name: 'user_message_reference', tag: 0x0204, type: 'u16' },
  userResponseCode: { name: 'user_response_code', tag: 0x0205, type: 'u8' },
  sourcePort: { name: 'source_port', tag: 0x020a, type: 'u16' },
  destinationPort: { name: 'destination_port', tag: 0x020b, type: 'u16' },
  sarMsgRefNum: { name: 'sar_msg_ref_num', tag: 0x020c, type: 'u16' },
  languageIndicator: { name: 'language_indicator', tag: 0x020d, type: 'u8' },
  sarTotalSegments: { name: 'sar_total_segments', tag: 0x020e, type: 'u8' },
  sarSegmentSeqnum: { name: 'sar_segment_seqnum', tag: 0x020f, type: 'u8' },
  scInterfaceVersion: { name: 'sc_interface_version', tag: 0x0210, type: 'u8' },
  callbackNumPresInd: { name: 'callback_num_pres_ind', tag: 0x0302, type: 'u8' },
  callbackNumAtag: { name: 'callback_num_atag', tag: 0x0303, type: 'octets', min: 0, max: 65 },
  numberOfMessages: { name: 'number_of_messages', tag: 0x0304, type: 'u8' },
  callbackNum: { name: 'callback_num', tag: 0x0381, type: 'octets', min: 4, max: 19 },
  dpfResult: { name: 'dpf_result', tag: 0x0420, type: 'u8' },
  setDpf: { name: 'set_dpf', tag: 0x0421, type: 'u8' },
  msAvailabilityStatus: { name: 'ms_availability_status', tag: 0x0422, type: 'u8' },
  networkErrorCode: { name: 'network_error_code', tag: 0x0423, type: 'networkErrorCode' },
  messagePayload: { name: 'message_payload', tag: 0x0424, type: 'octets', min: 0, max: 65_535 },
  deliveryFailureReason: { name: 'delivery_failure_reason', tag: 0x0425, type: 'u8' },
  moreMessagesToSend: { name: 'more_messages_to_send', tag: 0x0426, type: 'u8' },
  messageState: { name: 'message_state', tag: 0x0427, type: 'u8' },
  ussdServiceOp: { name: 'ussd_service_op', tag: 0x0501, type: 'octets', min: 1, max: 1 },
  displayTime: { name: 'display_time', tag: 0x1201, type: 'u8' },
  smsSignal: { name: 'sms_signal', tag: 0x1203, type: 'u16' },
  msValidity: { name: 'ms_validity', tag: 0x1204, type: 'u8' },
  alertOnMessageDelivery: { name: 'alert_on_message_delivery', tag: 0x130c, type: 'empty' },
  itsReplyType: { name: 'its_reply_type', tag: 0x1380, type: 'u8' },
  itsSessionInfo: { name: 'its_session_info', tag: 0x1383, type: 'octets', min: 2, max: 2 },
  /** Vendor TLV (MC-specific range 0x1400–0x3FFF): names the account's message class, e.g. `standard`. */
  messageClass: { name: 'message_class', tag: 0x2900, type: 'octets', min: 1, max: 64 },
} as const satisfies Record<string, TlvDef>;

/** The shape of one row of `TlvDefs`. */
export type TlvDef =
  | {
      readonly name: string;
      readonly tag: number;
      readonly type: 'u8' | 'u16' | 'u32' | 'empty' | 'networkErrorCode';
    }
  | { readonly name: string; readonly tag: number; readonly type: 'cstring'; readonly max: number }
  | {
      readonly name: string;
      readonly tag: number;
      readonly type: 'octets';
      readonly min: number;
      readonly max: number;
    };

/** The key of a known TLV in `Tlvs`, e.g. `userMessageReference`. */
export type TlvKey = keyof typeof TlvDefs;

/** network_error_code (0x0423): network type (1 ANSI-136, 2 IS-95, 3 GSM) and its error code. */
export interface NetworkErrorCode {
  readonly networkType: number;
  readonly errorCode: number;
}

interface TlvValueByType {
  u8: number;
  u16: number;
  u32: number;
  cstring: string;
  octets: Uint8Array;
  empty: true;
  networkErrorCode: NetworkErrorCode;
}

/** A TLV the library does not know, kept as raw bytes and re-encoded unchanged. */
export interface RawTlv {
  readonly tag: number;
  readonly value: Uint8Array;
}

/**
 * The optional parameters of a PDU, typed by `TlvDefs`. Key order is wire
 * order: the decoder inserts TLVs in the order received and the encoder writes
 * them in key order, then `unknown` in its own order.
 */
export type Tlvs = {
  -readonly [K in TlvKey]?: TlvValueByType[(typeof TlvDefs)[K]['type']];
} & { unknown?: RawTlv[] };

const defByTag = new Map<number, TlvKey>(
  Object.entries(TlvDefs).map(([key, def]) => [def.tag, key as TlvKey]),
);

/** The `Tlvs` key of a known tag, or undefined for a tag this library does not know. */
export function tlvKeyOf(tag: number): TlvKey | undefined {
  return defByTag.get(tag);
}
