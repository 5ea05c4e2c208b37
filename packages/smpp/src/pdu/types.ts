/**
 * Typed SMPP 3.4 PDUs (spec §4). Each PDU is a plain object discriminated by
 * `command`, the spec name of its command_id. Field names are the spec's field
 * names in camelCase. C-Octet Strings are `string` (ASCII, without the NUL),
 * Octet Strings are `Uint8Array`, integers are `number`.
 *
 * Time fields (schedule_delivery_time, validity_period, final_date) are the
 * 16-character SMPP time string, or '' when unset (a single NUL on the wire).
 *
 * A response with a non-zero command_status may come without a body (3.4) or
 * with an empty message_id (3.3/5.0); both decode to the same object with the
 * body fields at their defaults ('' and 0).
 */
import type { CommandName } from '../constants/command-id.ts';
import type { Tlvs } from '../constants/tlv.ts';

/** The 16-octet header every PDU starts with (spec §3.2); command_length is derived, never stored. */
export interface PduHeader<C extends CommandName> {
  readonly command: C;
  commandStatus: number;
  sequenceNumber: number;
}

/** bind_transmitter, bind_receiver and bind_transceiver share one body (spec §4.1.1). */
export interface BindBody {
  systemId: string;
  password: string;
  systemType: string;
  interfaceVersion: number;
  addrTon: number;
  addrNpi: number;
  addressRange: string;
}

/** The body of every bind_*_resp (spec §4.1.2). */
export interface BindRespBody {
  systemId: string;
  tlvs: Tlvs;
}

/** A source address triple. */
export interface SourceAddress {
  sourceAddrTon: number;
  sourceAddrNpi: number;
  sourceAddr: string;
}

/** A destination address triple. */
export interface DestAddress {
  destAddrTon: number;
  destAddrNpi: number;
  destinationAddr: string;
}

/** The message fields shared by submit_sm, deliver_sm and submit_multi after their addresses. */
export interface MessageBody {
  esmClass: number;
  protocolId: number;
  priorityFlag: number;
  scheduleDeliveryTime: string;
  validityPeriod: string;
  registeredDelivery: number;
  replaceIfPresentFlag: number;
  dataCoding: number;
  smDefaultMsgId: number;
  shortMessage: Uint8Array;
  tlvs: Tlvs;
}

export type BindTransmitter = PduHeader<'bind_transmitter'> & BindBody;
export type BindReceiver = PduHeader<'bind_receiver'> & BindBody;
export type BindTransceiver = PduHeader<'bind_transceiver'> & BindBody;
export type BindTransmitterResp = PduHeader<'bind_transmitter_resp'> & BindRespBody;
export type BindReceiverResp = PduHeader<'bind_receiver_resp'> & BindRespBody;
export type BindTransceiverResp = PduHeader<'bind_transceiver_resp'> & BindRespBody;

/** outbind (spec §4.1.7): MC asks the ESME to bind; no response exists. */
export type Outbind = PduHeader<'outbind'> & { systemId: string; password: string };

export type Unbind = PduHeader<'unbind'>;
export type UnbindResp = PduHeader<'unbind_resp'>;
export type EnquireLink = PduHeader<'enquire_link'>;
export type EnquireLinkResp = PduHeader<'enquire_link_resp'>;
export type GenericNack = PduHeader<'generic_nack'>;

/** submit_sm (spec §4.4.1). */
export type SubmitSm = PduHeader<'submit_sm'> & { serviceType: string } & SourceAddress &
  DestAddress &
  MessageBody;
/** submit_sm_resp (spec §4.4.2). */
export type SubmitSmResp = PduHeader<'submit_sm_resp'> & { messageId: string };

/** deliver_sm (spec §4.6.1): same layout as submit_sm. */
export type DeliverSm = PduHeader<'deliver_sm'> & { serviceType: string } & SourceAddress &
  DestAddress &
  MessageBody;
/** deliver_sm_resp (spec §4.6.2): message_id is unused and sent as a single NUL. */
export type DeliverSmResp = PduHeader<'deliver_sm_resp'> & { messageId: string };

/** One destination of submit_multi: an SME address (dest_flag 1) or a distribution list name (dest_flag 2). */
export type MultiDestAddress = ({ destFlag: 1 } & DestAddress) | { destFlag: 2; dlName: string };

/** An unsuccessful destination in submit_multi_resp. */
export interface UnsuccessSme extends DestAddress {
  errorStatusCode: number;
}

/** submit_multi (spec §4.5.1). */
export type SubmitMulti = PduHeader<'submit_multi'> & { serviceType: string } & SourceAddress & {
    destAddresses: MultiDestAddress[];
  } & MessageBody;
/** submit_multi_resp (spec §4.5.2). */
export type SubmitMultiResp = PduHeader<'submit_multi_resp'> & {
  messageId: string;
  unsuccessSmes: UnsuccessSme[];
};

/** data_sm (spec §4.7.1): addresses are C-Octet Strings of up to 65 octets, the payload is in TLVs. */
export type DataSm = PduHeader<'data_sm'> & { serviceType: string } & SourceAddress &
  DestAddress & { esmClass: number; registeredDelivery: number; dataCoding: number; tlvs: Tlvs };
/** data_sm_resp (spec §4.7.2). */
export type DataSmResp = PduHeader<'data_sm_resp'> & { messageId: string; tlvs: Tlvs };

/** query_sm (spec §4.8.1). */
export type QuerySm = PduHeader<'query_sm'> & { messageId: string } & SourceAddress;
/** query_sm_resp (spec §4.8.2). */
export type QuerySmResp = PduHeader<'query_sm_resp'> & {
  messageId: string;
  finalDate: string;
  messageState: number;
  errorCode: number;
};

/** cancel_sm (spec §4.9.1). */
export type CancelSm = PduHeader<'cancel_sm'> & { serviceType: string; messageId: string } & SourceAddress &
  DestAddress;
export type CancelSmResp = PduHeader<'cancel_sm_resp'>;

/** replace_sm (spec §4.10.1). */
export type ReplaceSm = PduHeader<'replace_sm'> & { messageId: string } & SourceAddress & {
    scheduleDeliveryTime: string;
    validityPeriod: string;
    registeredDelivery: number;
    smDefaultMsgId: number;
    shortMessage: Uint8Array;
  };
export type ReplaceSmResp = PduHeader<'replace_sm_resp'>;

/** alert_notification (spec §4.12.1): MC to ESME, no response exists. */
export type AlertNotification = PduHeader<'alert_notification'> &
  SourceAddress & { esmeAddrTon: number; esmeAddrNpi: number; esmeAddr: string; tlvs: Tlvs };

/** Every PDU, keyed by its command name. */
export interface PduByCommand {
  generic_nack: GenericNack;
  bind_receiver: BindReceiver;
  bind_receiver_resp: BindReceiverResp;
  bind_transmitter: BindTransmitter;
  bind_transmitter_resp: BindTransmitterResp;
  query_sm: QuerySm;
  query_sm_resp: QuerySmResp;
  submit_sm: SubmitSm;
  submit_sm_resp: SubmitSmResp;
  deliver_sm: DeliverSm;
  deliver_sm_resp: DeliverSmResp;
  unbind: Unbind;
  unbind_resp: UnbindResp;
  replace_sm: ReplaceSm;
  replace_sm_resp: ReplaceSmResp;
  cancel_sm: CancelSm;
  cancel_sm_resp: CancelSmResp;
  bind_transceiver: BindTransceiver;
  bind_transceiver_resp: BindTransceiverResp;
  outbind: Outbind;
  enquire_link: EnquireLink;
  enquire_link_resp: EnquireLinkResp;
  submit_multi: SubmitMulti;
  submit_multi_resp: SubmitMultiResp;
  alert_notification: AlertNotification;
  data_sm: DataSm;
  data_sm_resp: DataSmResp;
}

/** Any SMPP 3.4 PDU. */
export type Pdu = PduByCommand[CommandName];
