/**
 * Status event + message envelope → the client's delivery report (docs/architecture.md
 * "DLR short_message format"; SMPP 3.4 Appendix B). Pure: no I/O, the clock
 * is a parameter.
 *
 * The report goes back the way the submit came: source and destination
 * swapped, to the account that submitted. It is built only when the submit's
 * registered_delivery asked for it (none / final / failure only / success
 * only; intermediate states only with bit 4).
 */
import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  DeliveryReportSchema,
  MessageState as ProtoMessageState,
  NetworkType,
  type DeliveryReport,
  type MessageEnvelope,
  type StatusEvent,
} from '@smsgw/proto';
import { EsmClass, formatReceipt, shouldSendReceipt, wantsIntermediate } from '@smsgw/smpp';
import { PoisonStatusError } from './errors.ts';
import { receiptBytesOf } from './receipt-bytes.ts';
import { referenceTextOf } from './reference-text.ts';

/**
 * deliver_sm esm_class of every report, intermediate ones (ENROUTE) included:
 * 0x04, MC delivery receipt (§5.2.12 bits 5–2 = 0001). the contract (docs/architecture.md)
 * says 0x04; §5.2.12's 0x20 (intermediate notification) is left unused
 * because many client applications recognise a receipt only by `& 0x04`
 * (docs/smpp-reference.md §9); message_state tells ENROUTE apart.
 */
const ESM_CLASS_RECEIPT = EsmClass.MC_DELIVERY_RECEIPT;

/** The report's dedupe id: one report per message and state, the same on every redelivery of the event. */
export function reportIdOf(messageId: string, messageState: number): string {
  return `${messageId}:${messageState}`;
}

/** Whether the submit's registered_delivery asks for a report of this event. */
export function wantsReport(registeredDelivery: number, event: StatusEvent): boolean {
  if (event.intermediate && !wantsIntermediate(registeredDelivery)) return false;
  return shouldSendReceipt(registeredDelivery, event.messageState);
}

function checkEvent(event: StatusEvent): void {
  if (event.messageId === '') throw new PoisonStatusError('status event without a message id');
  if (event.messageState === ProtoMessageState.UNSPECIFIED) {
    throw new PoisonStatusError(`status event for ${event.messageId} without a message state`);
  }
}

/**
 * The delivery report for `event` on the message `envelope` describes, or
 * undefined when the submit's registered_delivery did not ask for one. Throws
 * PoisonStatusError for an event without message id or state, and
 * PduEncodeError (from formatReceipt) for a message id no receipt can carry.
 */
export function buildReport(
  envelope: MessageEnvelope,
  event: StatusEvent,
  now: Date = new Date(),
): DeliveryReport | undefined {
  checkEvent(event);
  if (!wantsReport(envelope.registeredDelivery, event)) return undefined;

  const messageId = event.messageId;
  const state = event.messageState;
  const doneDate = event.doneAt === undefined ? now : timestampDate(event.doneAt);
  const submitDate = envelope.submittedAt === undefined ? doneDate : timestampDate(envelope.submittedAt);
  const text = formatReceipt({
    id: messageId,
    submitDate,
    doneDate,
    messageState: state,
    errorCode: event.errorCode,
    text: referenceTextOf(envelope.userMessageReference),
  });
  const networkError =
    event.networkError !== undefined && event.networkError.type !== NetworkType.UNSPECIFIED
      ? { type: event.networkError.type, code: event.networkError.code }
      : undefined;

  return create(DeliveryReportSchema, {
    reportId: reportIdOf(messageId, state),
    // The envelope's account: the one that submitted, whatever a connector says.
    systemId: envelope.systemId,
    messageId,
    source: envelope.destination,
    destination: envelope.source,
    esmClass: ESM_CLASS_RECEIPT,
    dataCoding: 0,
    shortMessage: receiptBytesOf(text),
    receiptedMessageId: messageId,
    messageState: state,
    ...(networkError === undefined ? {} : { networkError }),
    ...(envelope.userMessageReference === undefined
      ? {}
      : { userMessageReference: envelope.userMessageReference }),
    createdAt: timestampFromDate(now),
    traceparent: envelope.traceparent,
    tracestate: envelope.tracestate,
  });
}
