/**
 * The SubmitAccepted record of an accepted submit_sm: the PDU's fields, what
 * validation derived (normalised TON, payload, concatenation, class, flash,
 * segments) and where and when it was accepted.
 */
import { create } from '@bufbuild/protobuf';
import { timestampFromDate, timestampFromMs } from '@bufbuild/protobuf/wkt';
import { ConcatenationSchema, SubmitAcceptedSchema, type SubmitAccepted } from '@smsgw/proto';
import { addSmppDuration, type SmppTime, type SubmitSm } from '@smsgw/smpp';
import type { AcceptedSubmit } from './submit-validation.ts';

/** Where a submit was accepted, and its identity. */
export interface SubmitOrigin {
  readonly messageId: string;
  readonly systemId: string;
  readonly pod: string;
  readonly sessionId: string;
  readonly acceptedAtMs: number;
  readonly traceparent: string;
}

/** When a message with this validity expires: the absolute time, or acceptance plus the relative period. */
export function expiresAtOf(validity: SmppTime, acceptedAtMs: number): Date {
  return validity.kind === 'absolute'
    ? validity.date
    : addSmppDuration(new Date(acceptedAtMs), validity.duration);
}

/** Builds the SubmitAccepted for a validated submit. */
export function submitAcceptedOf(
  pdu: SubmitSm,
  accepted: AcceptedSubmit,
  origin: SubmitOrigin,
): SubmitAccepted {
  const message = create(SubmitAcceptedSchema, {
    messageId: origin.messageId,
    systemId: origin.systemId,
    edgePod: origin.pod,
    sessionId: origin.sessionId,
    source: { ton: pdu.sourceAddrTon, npi: pdu.sourceAddrNpi, addr: pdu.sourceAddr },
    destination: { ton: accepted.destAddrTon, npi: pdu.destAddrNpi, addr: pdu.destinationAddr },
    esmClass: pdu.esmClass,
    protocolId: pdu.protocolId,
    priorityFlag: pdu.priorityFlag,
    validityPeriod: pdu.validityPeriod,
    registeredDelivery: pdu.registeredDelivery,
    dataCoding: pdu.dataCoding,
    payload: accepted.payload,
    flash: accepted.flash,
    segments: accepted.segments,
    acceptedAt: timestampFromMs(origin.acceptedAtMs),
    traceparent: origin.traceparent,
  });
  if (accepted.validity !== undefined) {
    message.expiresAt = timestampFromDate(expiresAtOf(accepted.validity, origin.acceptedAtMs));
  }
  if (accepted.concatenation !== undefined) {
    message.concatenation = create(ConcatenationSchema, accepted.concatenation);
  }
  if (accepted.userMessageReference !== undefined)
    message.userMessageReference = accepted.userMessageReference;
  if (accepted.messageClassRequested !== undefined) message.messageClass = accepted.messageClassRequested;
  return message;
}
