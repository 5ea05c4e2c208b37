/**
 * createPdu: a PDU of any command with every field at its default ('' for
 * C-Octet Strings, 0 for integers, empty short_message, no TLVs, no list
 * entries), commandStatus 0 and sequenceNumber 0, then overridden by `init`.
 * The factories are plain literals in wire order (no spreads): createPdu sits
 * on the hot path of every response a session sends.
 */
import type { CommandName } from '../constants/command-id.ts';
import type { BindBody, BindRespBody, PduByCommand, PduHeader, SubmitSm } from './types.ts';

/** The fields a caller may set when creating a PDU of command `C`. */
export type PduInit<C extends CommandName> = Partial<Omit<PduByCommand[C], 'command'>>;

/** SMPP 3.4's interface_version (spec §5.2.4). */
export const SMPP_VERSION_3_4 = 0x34;

/** A header-only PDU. */
function header<C extends CommandName>(command: C): () => PduHeader<C> {
  return () => ({ command, commandStatus: 0, sequenceNumber: 0 });
}

/** bind_transmitter, bind_receiver, bind_transceiver defaults. */
function bind<C extends CommandName>(command: C): () => PduHeader<C> & BindBody {
  return () => ({
    command,
    commandStatus: 0,
    sequenceNumber: 0,
    systemId: '',
    password: '',
    systemType: '',
    interfaceVersion: SMPP_VERSION_3_4,
    addrTon: 0,
    addrNpi: 0,
    addressRange: '',
  });
}

/** bind_*_resp defaults. */
function bindResp<C extends CommandName>(command: C): () => PduHeader<C> & BindRespBody {
  return () => ({ command, commandStatus: 0, sequenceNumber: 0, systemId: '', tlvs: {} });
}

/** submit_sm and deliver_sm defaults. */
function sm<C extends 'submit_sm' | 'deliver_sm'>(
  command: C,
): () => PduHeader<C> & Omit<SubmitSm, 'command'> {
  return () => ({
    command,
    commandStatus: 0,
    sequenceNumber: 0,
    serviceType: '',
    sourceAddrTon: 0,
    sourceAddrNpi: 0,
    sourceAddr: '',
    destAddrTon: 0,
    destAddrNpi: 0,
    destinationAddr: '',
    esmClass: 0,
    protocolId: 0,
    priorityFlag: 0,
    scheduleDeliveryTime: '',
    validityPeriod: '',
    registeredDelivery: 0,
    replaceIfPresentFlag: 0,
    dataCoding: 0,
    smDefaultMsgId: 0,
    shortMessage: new Uint8Array(0),
    tlvs: {},
  });
}

/** submit_sm_resp and deliver_sm_resp defaults. */
function messageIdResp<C extends 'submit_sm_resp' | 'deliver_sm_resp'>(
  command: C,
): () => PduHeader<C> & { messageId: string } {
  return () => ({ command, commandStatus: 0, sequenceNumber: 0, messageId: '' });
}

const defaults: { [C in CommandName]: () => PduByCommand[C] } = {
  generic_nack: header('generic_nack'),
  bind_receiver: bind('bind_receiver'),
  bind_receiver_resp: bindResp('bind_receiver_resp'),
  bind_transmitter: bind('bind_transmitter'),
  bind_transmitter_resp: bindResp('bind_transmitter_resp'),
  query_sm: () => ({
    command: 'query_sm',
    commandStatus: 0,
    sequenceNumber: 0,
    messageId: '',
    sourceAddrTon: 0,
    sourceAddrNpi: 0,
    sourceAddr: '',
  }),
  query_sm_resp: () => ({
    command: 'query_sm_resp',
    commandStatus: 0,
    sequenceNumber: 0,
    messageId: '',
    finalDate: '',
    messageState: 0,
    errorCode: 0,
  }),
  submit_sm: sm('submit_sm'),
  submit_sm_resp: messageIdResp('submit_sm_resp'),
  deliver_sm: sm('deliver_sm'),
  deliver_sm_resp: messageIdResp('deliver_sm_resp'),
  unbind: header('unbind'),
  unbind_resp: header('unbind_resp'),
  replace_sm: () => ({
    command: 'replace_sm',
    commandStatus: 0,
    sequenceNumber: 0,
    messageId: '',
    sourceAddrTon: 0,
    sourceAddrNpi: 0,
    sourceAddr: '',
    scheduleDeliveryTime: '',
    validityPeriod: '',
    registeredDelivery: 0,
    smDefaultMsgId: 0,
    shortMessage: new Uint8Array(0),
  }),
  replace_sm_resp: header('replace_sm_resp'),
  cancel_sm: () => ({
    command: 'cancel_sm',
    commandStatus: 0,
    sequenceNumber: 0,
    serviceType: '',
    messageId: '',
    sourceAddrTon: 0,
    sourceAddrNpi: 0,
    sourceAddr: '',
    destAddrTon: 0,
    destAddrNpi: 0,
    destinationAddr: '',
  }),
  cancel_sm_resp: header('cancel_sm_resp'),
  bind_transceiver: bind('bind_transceiver'),
  bind_transceiver_resp: bindResp('bind_transceiver_resp'),
  outbind: () => ({ command: 'outbind', commandStatus: 0, sequenceNumber: 0, systemId: '', password: '' }),
  enquire_link: header('enquire_link'),
  enquire_link_resp: header('enquire_link_resp'),
  submit_multi: () => ({
    command: 'submit_multi',
    commandStatus: 0,
    sequenceNumber: 0,
    serviceType: '',
    sourceAddrTon: 0,
    sourceAddrNpi: 0,
    sourceAddr: '',
    destAddresses: [],
    esmClass: 0,
    protocolId: 0,
    priorityFlag: 0,
    scheduleDeliveryTime: '',
    validityPeriod: '',
    registeredDelivery: 0,
    replaceIfPresentFlag: 0,
    dataCoding: 0,
    smDefaultMsgId: 0,
    shortMessage: new Uint8Array(0),
    tlvs: {},
  }),
  submit_multi_resp: () => ({
    command: 'submit_multi_resp',
    commandStatus: 0,
    sequenceNumber: 0,
    messageId: '',
    unsuccessSmes: [],
  }),
  alert_notification: () => ({
    command: 'alert_notification',
    commandStatus: 0,
    sequenceNumber: 0,
    sourceAddrTon: 0,
    sourceAddrNpi: 0,
    sourceAddr: '',
    esmeAddrTon: 0,
    esmeAddrNpi: 0,
    esmeAddr: '',
    tlvs: {},
  }),
  data_sm: () => ({
    command: 'data_sm',
    commandStatus: 0,
    sequenceNumber: 0,
    serviceType: '',
    sourceAddrTon: 0,
    sourceAddrNpi: 0,
    sourceAddr: '',
    destAddrTon: 0,
    destAddrNpi: 0,
    destinationAddr: '',
    esmClass: 0,
    registeredDelivery: 0,
    dataCoding: 0,
    tlvs: {},
  }),
  data_sm_resp: () => ({
    command: 'data_sm_resp',
    commandStatus: 0,
    sequenceNumber: 0,
    messageId: '',
    tlvs: {},
  }),
};

/**
 * A new PDU of `command` with every field at its default (bind_* requests get
 * interface_version 0x34), then the fields in `init`. Fresh objects every call:
 * the result may be mutated freely.
 */
export function createPdu<C extends CommandName>(command: C, init?: PduInit<C>): PduByCommand[C] {
  const pdu = defaults[command]();
  return init === undefined ? pdu : Object.assign(pdu, init);
}
