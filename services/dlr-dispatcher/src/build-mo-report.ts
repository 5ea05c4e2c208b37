/**
 * MobileOriginated → the deliver_sm a client gets for it, carried as a
 * DeliveryReport so that the DLR machinery (direct delivery, the account's
 * backlog, its pump, the EdgeDelivery stream) delivers it unchanged
 * (docs/architecture.md, "An MO's life"). Pure.
 *
 * What the client sees: esm_class 0 (default message type; 0x40 when the
 * octets start with a user data header, so concatenated parts keep their
 * UDH), source and destination as the network sent them, data_coding and the
 * octets unchanged, no receipt TLVs.
 */
import { create, fromBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  DeliveryReportSchema,
  MobileOriginatedSchema,
  type DeliveryReport,
  type MobileOriginated,
} from '@smsgw/proto';
import { EsmClass } from '@smsgw/smpp';
import { PoisonStatusError } from './errors.ts';

/** A MobileOriginated from SMS_MO; throws PoisonStatusError when undecodable or without id or account. */
export function decodeMo(data: Uint8Array): MobileOriginated {
  let mo: MobileOriginated;
  try {
    mo = fromBinary(MobileOriginatedSchema, data);
  } catch (error) {
    throw new PoisonStatusError('MO is not a MobileOriginated', { cause: error });
  }
  if (mo.moId === '') throw new PoisonStatusError('MO without an id');
  if (mo.systemId === '') throw new PoisonStatusError(`MO ${mo.moId} without an account`);
  return mo;
}

/** The report that carries an MO to the account's receivers; its id and message id are the MO's. */
export function buildMoReport(mo: MobileOriginated, now: Date): DeliveryReport {
  return create(DeliveryReportSchema, {
    reportId: mo.moId,
    systemId: mo.systemId,
    messageId: mo.moId,
    ...(mo.source === undefined ? {} : { source: mo.source }),
    ...(mo.destination === undefined ? {} : { destination: mo.destination }),
    esmClass: mo.esmClass & EsmClass.UDHI,
    dataCoding: mo.dataCoding,
    shortMessage: mo.shortMessage,
    createdAt: timestampFromDate(now),
    traceparent: mo.traceparent,
    tracestate: mo.tracestate,
  });
}
