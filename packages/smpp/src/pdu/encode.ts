/**
 * encodePdu: typed PDU → wire octets (SMPP 3.4 §3–§4). Two walks over the
 * body through the same code (FieldSink): a PduSizer validates and counts,
 * then a PduWriter fills one buffer of exactly that size.
 */
import { Buffer } from 'node:buffer';
import { CommandId, isResponseId, type CommandName } from '../constants/command-id.ts';
import { CommandStatus } from '../constants/command-status.ts';
import { PduEncodeError } from '../errors.ts';
import type { FieldSink } from './field-sink.ts';
import { CString, DestFlag, MAX_DESTINATIONS } from './fields.ts';
import { PDU_HEADER_LENGTH } from './header.ts';
import { PduSizer } from './sizer.ts';
import { hasNoTlvs } from './tlv-codec.ts';
import type { BindBody, BindRespBody, MessageBody, Pdu, PduByCommand, SubmitSm } from './types.ts';
import { PduWriter } from './writer.ts';

/** How encodePdu writes PDUs. */
export interface EncodeOptions {
  /**
   * How a response with commandStatus ≠ 0 whose body fields are all at their
   * defaults is written: 'omit' (default, SMPP 3.4 §4: header only, 16 octets)
   * or 'empty' (the body with its defaults, e.g. a single NUL message_id, for
   * 3.3-style clients that insist on it). Body fields that were set are always
   * written.
   */
  errorResponseBody?: 'omit' | 'empty';
}

type BodyEncoder<C extends CommandName> = (s: FieldSink, pdu: PduByCommand[C]) => void;

/** A header-only PDU. */
function none(): void {
  // Nothing after the header.
}

/** bind_transmitter, bind_receiver, bind_transceiver (§4.1.1). */
function bind(s: FieldSink, pdu: BindBody): void {
  s.cstring(pdu.systemId, CString.systemId);
  s.cstring(pdu.password, CString.password);
  s.cstring(pdu.systemType, CString.systemType);
  s.u8(pdu.interfaceVersion, 'interface_version');
  s.u8(pdu.addrTon, 'addr_ton');
  s.u8(pdu.addrNpi, 'addr_npi');
  s.cstring(pdu.addressRange, CString.addressRange);
}

/** bind_*_resp (§4.1.2). */
function bindResp(s: FieldSink, pdu: BindRespBody): void {
  s.cstring(pdu.systemId, CString.systemId);
  s.tlvs(pdu.tlvs);
}

/** The fields from esm_class to the TLVs, shared by submit_sm, deliver_sm and submit_multi. */
function messageBody(s: FieldSink, pdu: MessageBody): void {
  s.u8(pdu.esmClass, 'esm_class');
  s.u8(pdu.protocolId, 'protocol_id');
  s.u8(pdu.priorityFlag, 'priority_flag');
  s.time(pdu.scheduleDeliveryTime, CString.scheduleDeliveryTime);
  s.time(pdu.validityPeriod, CString.validityPeriod);
  s.u8(pdu.registeredDelivery, 'registered_delivery');
  s.u8(pdu.replaceIfPresentFlag, 'replace_if_present_flag');
  s.u8(pdu.dataCoding, 'data_coding');
  s.u8(pdu.smDefaultMsgId, 'sm_default_msg_id');
  s.shortMessage(pdu.shortMessage);
  s.tlvs(pdu.tlvs);
}

/** submit_sm and deliver_sm (§4.4.1, §4.6.1). */
function sm(s: FieldSink, pdu: Omit<SubmitSm, 'command'>): void {
  s.cstring(pdu.serviceType, CString.serviceType);
  s.u8(pdu.sourceAddrTon, 'source_addr_ton');
  s.u8(pdu.sourceAddrNpi, 'source_addr_npi');
  s.cstring(pdu.sourceAddr, CString.sourceAddr);
  s.u8(pdu.destAddrTon, 'dest_addr_ton');
  s.u8(pdu.destAddrNpi, 'dest_addr_npi');
  s.cstring(pdu.destinationAddr, CString.destinationAddr);
  messageBody(s, pdu);
}

/** A message_id alone (submit_sm_resp, deliver_sm_resp). */
function messageIdOnly(s: FieldSink, pdu: { messageId: string }): void {
  s.cstring(pdu.messageId, CString.messageId);
}

/** A list length written as one octet. */
function count(list: readonly unknown[], field: string, max: number, status: number): number {
  if (!Array.isArray(list) || list.length > max) {
    throw new PduEncodeError(`${field} must be a list of at most ${max} entries`, status);
  }
  return list.length;
}

const encoders: { [C in CommandName]: BodyEncoder<C> } = {
  generic_nack: none,
  bind_receiver: bind,
  bind_receiver_resp: bindResp,
  bind_transmitter: bind,
  bind_transmitter_resp: bindResp,
  query_sm: (s, pdu) => {
    s.cstring(pdu.messageId, CString.messageId);
    s.u8(pdu.sourceAddrTon, 'source_addr_ton');
    s.u8(pdu.sourceAddrNpi, 'source_addr_npi');
    s.cstring(pdu.sourceAddr, CString.sourceAddr);
  },
  query_sm_resp: (s, pdu) => {
    s.cstring(pdu.messageId, CString.messageId);
    s.time(pdu.finalDate, CString.finalDate);
    s.u8(pdu.messageState, 'message_state');
    s.u8(pdu.errorCode, 'error_code');
  },
  submit_sm: sm,
  submit_sm_resp: messageIdOnly,
  deliver_sm: sm,
  deliver_sm_resp: messageIdOnly,
  unbind: none,
  unbind_resp: none,
  replace_sm: (s, pdu) => {
    s.cstring(pdu.messageId, CString.messageId);
    s.u8(pdu.sourceAddrTon, 'source_addr_ton');
    s.u8(pdu.sourceAddrNpi, 'source_addr_npi');
    s.cstring(pdu.sourceAddr, CString.sourceAddr);
    s.time(pdu.scheduleDeliveryTime, CString.scheduleDeliveryTime);
    s.time(pdu.validityPeriod, CString.validityPeriod);
    s.u8(pdu.registeredDelivery, 'registered_delivery');
    s.u8(pdu.smDefaultMsgId, 'sm_default_msg_id');
    s.shortMessage(pdu.shortMessage);
  },
  replace_sm_resp: none,
  cancel_sm: (s, pdu) => {
    s.cstring(pdu.serviceType, CString.serviceType);
    s.cstring(pdu.messageId, CString.messageId);
    s.u8(pdu.sourceAddrTon, 'source_addr_ton');
    s.u8(pdu.sourceAddrNpi, 'source_addr_npi');
    s.cstring(pdu.sourceAddr, CString.sourceAddr);
    s.u8(pdu.destAddrTon, 'dest_addr_ton');
    s.u8(pdu.destAddrNpi, 'dest_addr_npi');
    s.cstring(pdu.destinationAddr, CString.destinationAddr);
  },
  cancel_sm_resp: none,
  bind_transceiver: bind,
  bind_transceiver_resp: bindResp,
  outbind: (s, pdu) => {
    s.cstring(pdu.systemId, CString.systemId);
    s.cstring(pdu.password, CString.password);
  },
  enquire_link: none,
  enquire_link_resp: none,
  submit_multi: (s, pdu) => {
    s.cstring(pdu.serviceType, CString.serviceType);
    s.u8(pdu.sourceAddrTon, 'source_addr_ton');
    s.u8(pdu.sourceAddrNpi, 'source_addr_npi');
    s.cstring(pdu.sourceAddr, CString.sourceAddr);
    s.u8(
      count(pdu.destAddresses, 'destAddresses', MAX_DESTINATIONS, CommandStatus.ESME_RINVNUMDESTS),
      'number_of_dests',
    );
    for (const dest of pdu.destAddresses) {
      // Checked at run time too: the union is only as good as the caller's types.
      const destFlag: number = dest.destFlag;
      s.u8(destFlag, 'dest_flag');
      if (dest.destFlag === DestFlag.smeAddress) {
        s.u8(dest.destAddrTon, 'dest_addr_ton');
        s.u8(dest.destAddrNpi, 'dest_addr_npi');
        s.cstring(dest.destinationAddr, CString.destinationAddr);
      } else if (destFlag === DestFlag.distributionList) {
        s.cstring(dest.dlName, CString.dlName);
      } else {
        throw new PduEncodeError(
          `dest_flag must be 1 or 2, got ${destFlag}`,
          CommandStatus.ESME_RINVDESTFLAG,
        );
      }
    }
    messageBody(s, pdu);
  },
  submit_multi_resp: (s, pdu) => {
    s.cstring(pdu.messageId, CString.messageId);
    s.u8(count(pdu.unsuccessSmes, 'unsuccessSmes', 0xff, CommandStatus.ESME_RINVPARLEN), 'no_unsuccess');
    for (const sme of pdu.unsuccessSmes) {
      s.u8(sme.destAddrTon, 'dest_addr_ton');
      s.u8(sme.destAddrNpi, 'dest_addr_npi');
      s.cstring(sme.destinationAddr, CString.destinationAddr);
      s.u32(sme.errorStatusCode, 'error_status_code');
    }
  },
  alert_notification: (s, pdu) => {
    s.u8(pdu.sourceAddrTon, 'source_addr_ton');
    s.u8(pdu.sourceAddrNpi, 'source_addr_npi');
    s.cstring(pdu.sourceAddr, CString.sourceAddr65);
    s.u8(pdu.esmeAddrTon, 'esme_addr_ton');
    s.u8(pdu.esmeAddrNpi, 'esme_addr_npi');
    s.cstring(pdu.esmeAddr, CString.esmeAddr);
    s.tlvs(pdu.tlvs);
  },
  data_sm: (s, pdu) => {
    s.cstring(pdu.serviceType, CString.serviceType);
    s.u8(pdu.sourceAddrTon, 'source_addr_ton');
    s.u8(pdu.sourceAddrNpi, 'source_addr_npi');
    s.cstring(pdu.sourceAddr, CString.sourceAddr65);
    s.u8(pdu.destAddrTon, 'dest_addr_ton');
    s.u8(pdu.destAddrNpi, 'dest_addr_npi');
    s.cstring(pdu.destinationAddr, CString.destinationAddr65);
    s.u8(pdu.esmClass, 'esm_class');
    s.u8(pdu.registeredDelivery, 'registered_delivery');
    s.u8(pdu.dataCoding, 'data_coding');
    s.tlvs(pdu.tlvs);
  },
  data_sm_resp: (s, pdu) => {
    s.cstring(pdu.messageId, CString.messageId);
    s.tlvs(pdu.tlvs);
  },
};

/**
 * For each response that has a body: true when every body field is at its
 * default, i.e. the body carries nothing and may be omitted in an error response.
 */
const bodyIsDefault: { [C in CommandName]?: (pdu: PduByCommand[C]) => boolean } = {
  bind_receiver_resp: (pdu) => pdu.systemId === '' && hasNoTlvs(pdu.tlvs),
  bind_transmitter_resp: (pdu) => pdu.systemId === '' && hasNoTlvs(pdu.tlvs),
  bind_transceiver_resp: (pdu) => pdu.systemId === '' && hasNoTlvs(pdu.tlvs),
  submit_sm_resp: (pdu) => pdu.messageId === '',
  deliver_sm_resp: (pdu) => pdu.messageId === '',
  query_sm_resp: (pdu) =>
    pdu.messageId === '' && pdu.finalDate === '' && pdu.messageState === 0 && pdu.errorCode === 0,
  submit_multi_resp: (pdu) => pdu.messageId === '' && pdu.unsuccessSmes.length === 0,
  data_sm_resp: (pdu) => pdu.messageId === '' && hasNoTlvs(pdu.tlvs),
};

const sizer = new PduSizer();
const writer = new PduWriter();

/** Checks a header integer. */
function checkU32(value: number, field: string): void {
  if (value >>> 0 !== value) {
    throw new PduEncodeError(`${field} must be an integer in 0..0xFFFFFFFF, got ${String(value)}`);
  }
}

/**
 * Encodes one PDU into a Buffer of exactly its command_length. Validates every
 * field first (C-Octet Strings within their maximum and ASCII without NUL,
 * integers in range, time fields '' or 16 characters, short_message ≤ 255
 * octets, TLV values fitting their type) and throws PduEncodeError, carrying
 * the status a server would answer, on the first bad one.
 */
export function encodePdu(pdu: Pdu, options?: EncodeOptions): Buffer {
  const command: CommandName = pdu.command;
  const commandId = Object.hasOwn(CommandId, command) ? CommandId[command] : undefined;
  if (commandId === undefined) {
    throw new PduEncodeError(`unknown command '${command}'`, CommandStatus.ESME_RINVCMDID);
  }
  checkU32(pdu.commandStatus, 'commandStatus');
  checkU32(pdu.sequenceNumber, 'sequenceNumber');
  // One signature for all encoders: `pdu.command` picks the encoder made for its type.
  const encodeBody = encoders[command] as BodyEncoder<CommandName>;
  const isDefault = bodyIsDefault[command] as ((p: Pdu) => boolean) | undefined;
  const withBody = !(
    pdu.commandStatus !== 0 &&
    isResponseId(commandId) &&
    options?.errorResponseBody !== 'empty' &&
    isDefault?.(pdu) === true
  );

  let length = PDU_HEADER_LENGTH;
  if (withBody) {
    sizer.reset();
    encodeBody(sizer, pdu);
    length += sizer.length;
  }

  const bytes = Buffer.allocUnsafe(length);
  writer.reset(bytes, 0);
  writer.u32(length);
  writer.u32(commandId);
  writer.u32(pdu.commandStatus);
  writer.u32(pdu.sequenceNumber);
  if (withBody) encodeBody(writer, pdu);
  const written = writer.pos;
  writer.release();
  if (written !== length) {
    // Unreachable unless the sizer and writer disagree; never hand out uninitialised memory.
    throw new PduEncodeError(`internal: wrote ${written} of ${length} octets`, CommandStatus.ESME_RSYSERR);
  }
  return bytes;
}
