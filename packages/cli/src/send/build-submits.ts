/**
 * The submit_sm PDUs of one message: one, or the parts of a long one, split
 * the way --long says (UDH in short_message, SAR TLVs, or one message_payload).
 */
import { buildParts, countPayloadSegments, createPdu, type SubmitSm, type Tlvs } from '@smsgw/smpp';
import type { SmppAddress } from './address.ts';
import type { EncodedMessage } from './coding.ts';

/** How a message longer than one SMS is sent. */
export type LongMode = 'payload' | 'udh' | 'sar';

/** Everything about a message but its concatenation reference. */
export interface MessageSpec {
  readonly source: SmppAddress;
  readonly destination: SmppAddress;
  readonly message: EncodedMessage;
  readonly priority: number;
  readonly registeredDelivery: number;
  /** --long; undefined: UDH when the message needs more than one SMS. */
  readonly long?: LongMode;
  readonly userMessageReference?: number;
  /** The message_class TLV (0x2900), the account's class name. */
  readonly messageClass?: string;
  /** dest_addr_subunit 1 (flash display). */
  readonly flash: boolean;
}

/** The TLVs every part carries. */
function commonTlvs(spec: MessageSpec): Tlvs {
  const tlvs: Tlvs = {};
  if (spec.flash) tlvs.destAddrSubunit = 1;
  if (spec.userMessageReference !== undefined) tlvs.userMessageReference = spec.userMessageReference;
  if (spec.messageClass !== undefined) tlvs.messageClass = Buffer.from(spec.messageClass, 'latin1');
  return tlvs;
}

/** How many SMS parts the message takes (1 when it fits). */
export function segmentsOf(spec: MessageSpec): number {
  return countPayloadSegments(spec.message.payload, spec.message.dataCoding);
}

/** The submit_sm PDUs of the message, concatenated parts marked with `reference` (0..255). */
export function buildSubmits(spec: MessageSpec, reference: number): SubmitSm[] {
  const base = {
    sourceAddrTon: spec.source.ton,
    sourceAddrNpi: spec.source.npi,
    sourceAddr: spec.source.addr,
    destAddrTon: spec.destination.ton,
    destAddrNpi: spec.destination.npi,
    destinationAddr: spec.destination.addr,
    priorityFlag: spec.priority,
    registeredDelivery: spec.registeredDelivery,
    dataCoding: spec.message.dataCoding,
  };
  const tlvs = commonTlvs(spec);
  if (spec.long === 'payload') {
    return [createPdu('submit_sm', { ...base, tlvs: { ...tlvs, messagePayload: spec.message.payload } })];
  }
  const parts = buildParts(spec.message.payload, spec.message.dataCoding, {
    mode: spec.long ?? 'udh',
    reference,
  });
  return parts.map((part) =>
    createPdu('submit_sm', {
      ...base,
      esmClass: part.esmClassFlags,
      shortMessage: part.shortMessage,
      tlvs: { ...tlvs, ...part.tlvs },
    }),
  );
}
