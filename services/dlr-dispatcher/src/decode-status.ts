/**
 * Reads the protobuf messages the dispatcher consumes, turning anything that
 * can never become a report into a PoisonStatusError.
 */
import { fromBinary } from '@bufbuild/protobuf';
import {
  MessageEnvelopeSchema,
  MessageState,
  StatusEventSchema,
  type MessageEnvelope,
  type StatusEvent,
} from '@smsgw/proto';
import { PoisonStatusError } from './errors.ts';

/** A StatusEvent from SMS_STATUS; throws PoisonStatusError when undecodable or without message id or state. */
export function decodeStatus(data: Uint8Array): StatusEvent {
  let event: StatusEvent;
  try {
    event = fromBinary(StatusEventSchema, data);
  } catch (error) {
    throw new PoisonStatusError('status event is not a StatusEvent', { cause: error });
  }
  if (event.messageId === '') throw new PoisonStatusError('status event without a message id');
  if (event.messageState === MessageState.UNSPECIFIED) {
    throw new PoisonStatusError(`status event for ${event.messageId} without a message state`);
  }
  return event;
}

/** A MessageEnvelope from the envelopes bucket; throws PoisonStatusError when undecodable or without an account. */
export function decodeEnvelope(data: Uint8Array): MessageEnvelope {
  let envelope: MessageEnvelope;
  try {
    envelope = fromBinary(MessageEnvelopeSchema, data);
  } catch (error) {
    throw new PoisonStatusError('envelope is not a MessageEnvelope', { cause: error });
  }
  if (envelope.systemId === '')
    throw new PoisonStatusError(`envelope ${envelope.messageId} without an account`);
  return envelope;
}
