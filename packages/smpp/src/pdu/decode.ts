/**
 * decodePdu: one frame → one typed PDU (SMPP 3.4 §3–§4). The frame is read
 * once, front to back, by a PduReader; every failure is a PduDecodeError whose
 * commandStatus is the answer the peer should get (docs/smpp-reference.md §1.6).
 */
import { CommandId, isResponseId, type CommandName } from '../constants/command-id.ts';
import { CommandStatus } from '../constants/command-status.ts';
import { PduDecodeError } from '../errors.ts';
import { CString, DestFlag, MAX_DESTINATIONS } from './fields.ts';
import { PDU_HEADER_LENGTH } from './header.ts';
import { asBuffer, PduReader } from './reader.ts';
import { readTlvs } from './tlv-codec.ts';
import type {
  BindBody,
  BindRespBody,
  MessageBody,
  MultiDestAddress,
  Pdu,
  PduByCommand,
  PduHeader,
  SubmitSm,
  UnsuccessSme,
} from './types.ts';

type Decoder<C extends CommandName> = (
  r: PduReader,
  commandStatus: number,
  sequenceNumber: number,
) => PduByCommand[C];

/** A header-only PDU. */
function headerOnly<C extends CommandName>(command: C) {
  return (_r: PduReader, commandStatus: number, sequenceNumber: number): PduHeader<C> => ({
    command,
    commandStatus,
    sequenceNumber,
  });
}

/** bind_transmitter, bind_receiver, bind_transceiver (§4.1.1). */
function bind<C extends CommandName>(command: C) {
  return (r: PduReader, commandStatus: number, sequenceNumber: number): PduHeader<C> & BindBody => ({
    command,
    commandStatus,
    sequenceNumber,
    systemId: r.cstring(CString.systemId),
    password: r.cstring(CString.password),
    systemType: r.cstring(CString.systemType),
    interfaceVersion: r.u8('interface_version'),
    addrTon: r.u8('addr_ton'),
    addrNpi: r.u8('addr_npi'),
    addressRange: r.cstring(CString.addressRange),
  });
}

/** bind_*_resp (§4.1.2). */
function bindResp<C extends CommandName>(command: C) {
  return (r: PduReader, commandStatus: number, sequenceNumber: number): PduHeader<C> & BindRespBody => ({
    command,
    commandStatus,
    sequenceNumber,
    systemId: r.cstring(CString.systemId),
    tlvs: readTlvs(r),
  });
}

/** short_message with its sm_length: a length past the end of the body is ESME_RINVMSGLEN. */
function shortMessage(r: PduReader): Uint8Array {
  return r.octets(r.u8('sm_length'), 'short_message', CommandStatus.ESME_RINVMSGLEN);
}

/** submit_sm and deliver_sm share one layout (§4.4.1, §4.6.1). */
function sm<C extends 'submit_sm' | 'deliver_sm'>(command: C) {
  return (
    r: PduReader,
    commandStatus: number,
    sequenceNumber: number,
  ): PduHeader<C> & Omit<SubmitSm, 'command'> => ({
    command,
    commandStatus,
    sequenceNumber,
    serviceType: r.cstring(CString.serviceType),
    sourceAddrTon: r.u8('source_addr_ton'),
    sourceAddrNpi: r.u8('source_addr_npi'),
    sourceAddr: r.cstring(CString.sourceAddr),
    destAddrTon: r.u8('dest_addr_ton'),
    destAddrNpi: r.u8('dest_addr_npi'),
    destinationAddr: r.cstring(CString.destinationAddr),
    esmClass: r.u8('esm_class'),
    protocolId: r.u8('protocol_id'),
    priorityFlag: r.u8('priority_flag'),
    scheduleDeliveryTime: r.time(CString.scheduleDeliveryTime),
    validityPeriod: r.time(CString.validityPeriod),
    registeredDelivery: r.u8('registered_delivery'),
    replaceIfPresentFlag: r.u8('replace_if_present_flag'),
    dataCoding: r.u8('data_coding'),
    smDefaultMsgId: r.u8('sm_default_msg_id'),
    shortMessage: shortMessage(r),
    tlvs: readTlvs(r),
  });
}

/** The message fields of submit_multi after its destinations (§4.5.1). */
function messageBody(r: PduReader): MessageBody {
  return {
    esmClass: r.u8('esm_class'),
    protocolId: r.u8('protocol_id'),
    priorityFlag: r.u8('priority_flag'),
    scheduleDeliveryTime: r.time(CString.scheduleDeliveryTime),
    validityPeriod: r.time(CString.validityPeriod),
    registeredDelivery: r.u8('registered_delivery'),
    replaceIfPresentFlag: r.u8('replace_if_present_flag'),
    dataCoding: r.u8('data_coding'),
    smDefaultMsgId: r.u8('sm_default_msg_id'),
    shortMessage: shortMessage(r),
    tlvs: readTlvs(r),
  };
}

/** number_of_dests and the dest_address list of submit_multi (§4.5.1, §5.2.25). */
function destAddresses(r: PduReader): MultiDestAddress[] {
  const count = r.u8('number_of_dests');
  if (count > MAX_DESTINATIONS) {
    r.fail(CommandStatus.ESME_RINVNUMDESTS, `number_of_dests ${count} is over ${MAX_DESTINATIONS}`);
  }
  const list: MultiDestAddress[] = [];
  for (let i = 0; i < count; i++) {
    const destFlag = r.u8('dest_flag');
    if (destFlag === DestFlag.smeAddress) {
      list.push({
        destFlag,
        destAddrTon: r.u8('dest_addr_ton'),
        destAddrNpi: r.u8('dest_addr_npi'),
        destinationAddr: r.cstring(CString.destinationAddr),
      });
    } else if (destFlag === DestFlag.distributionList) {
      list.push({ destFlag, dlName: r.cstring(CString.dlName) });
    } else {
      r.fail(
        CommandStatus.ESME_RINVDESTFLAG,
        `dest_flag ${destFlag} is neither 1 (SME address) nor 2 (distribution list)`,
      );
    }
  }
  return list;
}

/** no_unsuccess and the unsuccess_sme list of submit_multi_resp (§4.5.2). */
function unsuccessSmes(r: PduReader): UnsuccessSme[] {
  const count = r.u8('no_unsuccess');
  const list: UnsuccessSme[] = [];
  for (let i = 0; i < count; i++) {
    // Entries are never optional, not even in a lenient (error) response.
    if (r.pos === r.end)
      r.fail(CommandStatus.ESME_RINVCMDLEN, `PDU body ends before unsuccess_sme ${i + 1} of ${count}`);
    list.push({
      destAddrTon: r.u8('dest_addr_ton'),
      destAddrNpi: r.u8('dest_addr_npi'),
      destinationAddr: r.cstring(CString.destinationAddr),
      errorStatusCode: r.u32('error_status_code'),
    });
  }
  return list;
}

/** submit_sm_resp and deliver_sm_resp: a message_id only (§4.4.2, §4.6.2). */
function messageIdResp<C extends 'submit_sm_resp' | 'deliver_sm_resp'>(command: C) {
  return (
    r: PduReader,
    commandStatus: number,
    sequenceNumber: number,
  ): PduHeader<C> & { messageId: string } => ({
    command,
    commandStatus,
    sequenceNumber,
    messageId: r.cstring(CString.messageId),
  });
}

const decoders: { [C in CommandName]: Decoder<C> } = {
  generic_nack: headerOnly('generic_nack'),
  bind_receiver: bind('bind_receiver'),
  bind_receiver_resp: bindResp('bind_receiver_resp'),
  bind_transmitter: bind('bind_transmitter'),
  bind_transmitter_resp: bindResp('bind_transmitter_resp'),
  query_sm: (r, commandStatus, sequenceNumber) => ({
    command: 'query_sm',
    commandStatus,
    sequenceNumber,
    messageId: r.cstring(CString.messageId),
    sourceAddrTon: r.u8('source_addr_ton'),
    sourceAddrNpi: r.u8('source_addr_npi'),
    sourceAddr: r.cstring(CString.sourceAddr),
  }),
  query_sm_resp: (r, commandStatus, sequenceNumber) => ({
    command: 'query_sm_resp',
    commandStatus,
    sequenceNumber,
    messageId: r.cstring(CString.messageId),
    finalDate: r.time(CString.finalDate),
    messageState: r.u8('message_state'),
    errorCode: r.u8('error_code'),
  }),
  submit_sm: sm('submit_sm'),
  submit_sm_resp: messageIdResp('submit_sm_resp'),
  deliver_sm: sm('deliver_sm'),
  deliver_sm_resp: messageIdResp('deliver_sm_resp'),
  unbind: headerOnly('unbind'),
  unbind_resp: headerOnly('unbind_resp'),
  replace_sm: (r, commandStatus, sequenceNumber) => ({
    command: 'replace_sm',
    commandStatus,
    sequenceNumber,
    messageId: r.cstring(CString.messageId),
    sourceAddrTon: r.u8('source_addr_ton'),
    sourceAddrNpi: r.u8('source_addr_npi'),
    sourceAddr: r.cstring(CString.sourceAddr),
    scheduleDeliveryTime: r.time(CString.scheduleDeliveryTime),
    validityPeriod: r.time(CString.validityPeriod),
    registeredDelivery: r.u8('registered_delivery'),
    smDefaultMsgId: r.u8('sm_default_msg_id'),
    shortMessage: shortMessage(r),
  }),
  replace_sm_resp: headerOnly('replace_sm_resp'),
  cancel_sm: (r, commandStatus, sequenceNumber) => ({
    command: 'cancel_sm',
    commandStatus,
    sequenceNumber,
    serviceType: r.cstring(CString.serviceType),
    messageId: r.cstring(CString.messageId),
    sourceAddrTon: r.u8('source_addr_ton'),
    sourceAddrNpi: r.u8('source_addr_npi'),
    sourceAddr: r.cstring(CString.sourceAddr),
    destAddrTon: r.u8('dest_addr_ton'),
    destAddrNpi: r.u8('dest_addr_npi'),
    destinationAddr: r.cstring(CString.destinationAddr),
  }),
  cancel_sm_resp: headerOnly('cancel_sm_resp'),
  bind_transceiver: bind('bind_transceiver'),
  bind_transceiver_resp: bindResp('bind_transceiver_resp'),
  outbind: (r, commandStatus, sequenceNumber) => ({
    command: 'outbind',
    commandStatus,
    sequenceNumber,
    systemId: r.cstring(CString.systemId),
    password: r.cstring(CString.password),
  }),
  enquire_link: headerOnly('enquire_link'),
  enquire_link_resp: headerOnly('enquire_link_resp'),
  submit_multi: (r, commandStatus, sequenceNumber) => {
    const serviceType = r.cstring(CString.serviceType);
    const sourceAddrTon = r.u8('source_addr_ton');
    const sourceAddrNpi = r.u8('source_addr_npi');
    const sourceAddr = r.cstring(CString.sourceAddr);
    const dests = destAddresses(r);
    const body = messageBody(r);
    return {
      command: 'submit_multi',
      commandStatus,
      sequenceNumber,
      serviceType,
      sourceAddrTon,
      sourceAddrNpi,
      sourceAddr,
      destAddresses: dests,
      ...body,
    };
  },
  submit_multi_resp: (r, commandStatus, sequenceNumber) => ({
    command: 'submit_multi_resp',
    commandStatus,
    sequenceNumber,
    messageId: r.cstring(CString.messageId),
    unsuccessSmes: unsuccessSmes(r),
  }),
  alert_notification: (r, commandStatus, sequenceNumber) => ({
    command: 'alert_notification',
    commandStatus,
    sequenceNumber,
    sourceAddrTon: r.u8('source_addr_ton'),
    sourceAddrNpi: r.u8('source_addr_npi'),
    sourceAddr: r.cstring(CString.sourceAddr65),
    esmeAddrTon: r.u8('esme_addr_ton'),
    esmeAddrNpi: r.u8('esme_addr_npi'),
    esmeAddr: r.cstring(CString.esmeAddr),
    tlvs: readTlvs(r),
  }),
  data_sm: (r, commandStatus, sequenceNumber) => ({
    command: 'data_sm',
    commandStatus,
    sequenceNumber,
    serviceType: r.cstring(CString.serviceType),
    sourceAddrTon: r.u8('source_addr_ton'),
    sourceAddrNpi: r.u8('source_addr_npi'),
    sourceAddr: r.cstring(CString.sourceAddr65),
    destAddrTon: r.u8('dest_addr_ton'),
    destAddrNpi: r.u8('dest_addr_npi'),
    destinationAddr: r.cstring(CString.destinationAddr65),
    esmClass: r.u8('esm_class'),
    registeredDelivery: r.u8('registered_delivery'),
    dataCoding: r.u8('data_coding'),
    tlvs: readTlvs(r),
  }),
  data_sm_resp: (r, commandStatus, sequenceNumber) => ({
    command: 'data_sm_resp',
    commandStatus,
    sequenceNumber,
    messageId: r.cstring(CString.messageId),
    tlvs: readTlvs(r),
  }),
};

const decoderById = new Map<number, (r: PduReader, commandStatus: number, sequenceNumber: number) => Pdu>(
  (Object.keys(CommandId) as CommandName[]).map((name) => [CommandId[name], decoders[name]]),
);

/** Big-endian unsigned 32-bit read; the caller has checked the bounds. */
function u32At(b: Uint8Array, at: number): number {
  return (
    (b[at] as number) * 0x1000000 +
    (((b[at + 1] as number) << 16) | ((b[at + 2] as number) << 8) | (b[at + 3] as number))
  );
}

/**
 * Decodes exactly one PDU: `frame.length` must equal its command_length.
 * Throws only PduDecodeError, whose commandStatus is the status to answer
 * with and whose commandId/sequenceNumber are set once the header was read:
 * - frame under 16 octets, command_length ≠ frame length, body ending inside a
 *   mandatory field, or octets left over after a PDU without TLVs → ESME_RINVCMDLEN;
 * - unknown command_id → ESME_RINVCMDID;
 * - a C-Octet String over its maximum → the field's status (ESME_RINVSRCADR, …);
 * - sm_length past the end → ESME_RINVMSGLEN;
 * - a broken TLV stream → ESME_RINVOPTPARSTREAM, a bad known TLV length → ESME_RINVPARLEN.
 * A response may come without a body, and a response with a non-zero
 * command_status may stop after any field (3.3-style empty message_id): the
 * missing fields decode to their defaults.
 *
 * Octet Strings (short_message, octet TLVs) are copies, so the frame's buffer
 * may be reused; small ones are views into shared 8 KiB slabs, like Node's
 * Buffer pool.
 */
export function decodePdu(frame: Uint8Array): Pdu {
  const length = frame.length;
  if (length < PDU_HEADER_LENGTH) {
    throw new PduDecodeError(
      CommandStatus.ESME_RINVCMDLEN,
      `a PDU has at least ${PDU_HEADER_LENGTH} octets, got ${length}`,
    );
  }
  const commandLength = u32At(frame, 0);
  const commandId = u32At(frame, 4);
  const commandStatus = u32At(frame, 8);
  const sequenceNumber = u32At(frame, 12);
  if (commandLength !== length) {
    throw new PduDecodeError(
      CommandStatus.ESME_RINVCMDLEN,
      `command_length ${commandLength} does not match the ${length} octets of the frame`,
      { commandId, sequenceNumber },
    );
  }
  const decode = decoderById.get(commandId);
  if (decode === undefined) {
    throw new PduDecodeError(
      CommandStatus.ESME_RINVCMDID,
      `command_id 0x${commandId.toString(16).padStart(8, '0')} is not an SMPP 3.4 command`,
      { commandId, sequenceNumber },
    );
  }
  const lenient = isResponseId(commandId) && (commandStatus !== 0 || length === PDU_HEADER_LENGTH);
  const r = new PduReader(asBuffer(frame), PDU_HEADER_LENGTH, length, commandId, sequenceNumber, lenient);
  const pdu = decode(r, commandStatus, sequenceNumber);
  if (r.pos !== length) {
    r.fail(
      CommandStatus.ESME_RINVCMDLEN,
      `${length - r.pos} octets left after the last field of ${pdu.command}`,
    );
  }
  return pdu;
}
