/**
 * The submit_sm PDUs of one accepted submit, as the upstream SMSC wants them
 * (README "The smpp driver"): addresses under the TON/NPI rules, GSM-7 text
 * with the configured data_coding, a receipt always requested (final
 * statuses come only from receipts), and a long message either as one
 * submit_sm with message_payload or re-split into parts marked by UDH or SAR.
 * A part the customer already split is passed on as it came. A flash message
 * goes with the class-0 form of its data_coding, or with dest_addr_subunit 1
 * when the coding on the wire has no class-0 form (docs/smpp-reference.md §4.2).
 */
import { ConcatenationScheme, type SubmitAccepted } from '@smsgw/proto';
import {
  DataCoding,
  EsmClass,
  classZeroCodingOf,
  RegisteredDelivery,
  buildParts,
  createPdu,
  formatSmppTime,
  countPayloadSegments,
  wantsIntermediate,
  writeSar,
  type SubmitSm,
  type Tlvs,
} from '@smsgw/smpp';
import { applyAddressRule } from './address-rules.ts';
import type { SmppSettings } from './smpp-settings.ts';

/** The settings submit-parts reads. */
export type SubmitPartSettings = Pick<
  SmppSettings,
  'sourceAddr' | 'destAddr' | 'gsmDataCoding' | 'longMessages'
>;

/** dest_addr_subunit 1: "MS display", i.e. immediate display (SMPP 3.4 §5.3.2.1). */
const FLASH_SUBUNIT = 1;

/** The concatenation reference of a re-split message: from its id, so a retry builds the same parts. */
function referenceOf(messageId: string): number {
  let hash = 0;
  for (let i = 0; i < messageId.length; i++) hash = (hash * 31 + messageId.charCodeAt(i)) & 0xff;
  return hash;
}

/** The data_coding on the wire, and the TLVs that mark a flash message whose coding cannot. */
function wireCodingOf(
  submit: SubmitAccepted,
  settings: SubmitPartSettings,
): { readonly dataCoding: number; readonly flashTlvs: Tlvs } {
  // GSM text goes as the SMSC wants it (0 or 1); IA5 has no message class, so flash then takes the TLV.
  const plain =
    submit.dataCoding === DataCoding.MC_DEFAULT && settings.gsmDataCoding === 1
      ? DataCoding.IA5
      : submit.dataCoding;
  if (!submit.flash) return { dataCoding: plain, flashTlvs: {} };
  const classZero = classZeroCodingOf(plain);
  if (classZero !== undefined) return { dataCoding: classZero, flashTlvs: {} };
  return { dataCoding: plain, flashTlvs: { destAddrSubunit: FLASH_SUBUNIT } };
}

/**
 * The submit_sm PDUs (sequence numbers unset) that carry `submit` upstream, in
 * order; with `expiresAt` (RoutedMessage.expires_at) their validity_period is
 * that instant in absolute form, so the SMSC keeps the message no longer than
 * the gateway would have (a relative period would count again from now).
 */
export function submitParts(
  submit: SubmitAccepted,
  settings: SubmitPartSettings,
  expiresAt?: Date,
): SubmitSm[] {
  const source = applyAddressRule(settings.sourceAddr, {
    ton: submit.source?.ton ?? 0,
    npi: submit.source?.npi ?? 0,
    addr: submit.source?.addr ?? '',
  });
  const destination = applyAddressRule(settings.destAddr, {
    ton: submit.destination?.ton ?? 0,
    npi: submit.destination?.npi ?? 0,
    addr: submit.destination?.addr ?? '',
  });
  const { dataCoding, flashTlvs } = wireCodingOf(submit, settings);
  const registeredDelivery =
    RegisteredDelivery.RECEIPT_ON_FINAL |
    (wantsIntermediate(submit.registeredDelivery) ? RegisteredDelivery.INTERMEDIATE_NOTIFICATION : 0);
  const base = (shortMessage: Uint8Array, esmClassFlags: number, tlvs: Tlvs): SubmitSm =>
    createPdu('submit_sm', {
      sourceAddrTon: source.ton,
      sourceAddrNpi: source.npi,
      sourceAddr: source.addr,
      destAddrTon: destination.ton,
      destAddrNpi: destination.npi,
      destinationAddr: destination.addr,
      esmClass: (submit.esmClass & ~EsmClass.MESSAGING_MODE_MASK) | esmClassFlags,
      protocolId: submit.protocolId,
      priorityFlag: submit.priorityFlag,
      validityPeriod: expiresAt === undefined ? submit.validityPeriod : formatSmppTime(expiresAt),
      registeredDelivery,
      dataCoding,
      shortMessage,
      tlvs: { ...flashTlvs, ...tlvs },
    });

  const { payload } = submit;
  const concat = submit.concatenation;
  if (concat !== undefined && concat.scheme !== ConcatenationScheme.UNSPECIFIED) {
    // A part the customer split: UDH parts carry their header in the payload (esm_class UDHI kept).
    const tlvs: Tlvs =
      concat.scheme === ConcatenationScheme.SAR
        ? writeSar({}, { reference: concat.reference, total: concat.total, sequence: concat.seq })
        : {};
    return [base(payload, 0, tlvs)];
  }
  // Parts are sized in the customer's coding (GSM-7 septets), whatever data_coding value goes on the wire.
  const single = countPayloadSegments(payload, submit.dataCoding) <= 1 && payload.length <= 254;
  if (single) return [base(payload, 0, {})];
  if (settings.longMessages === 'payload') {
    return [base(new Uint8Array(0), 0, { messagePayload: payload })];
  }
  const parts = buildParts(payload, submit.dataCoding, {
    mode: settings.longMessages,
    reference: referenceOf(submit.messageId),
  });
  return parts.map((part) => base(part.shortMessage, part.esmClassFlags, { ...part.tlvs }));
}
