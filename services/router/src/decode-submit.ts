/**
 * Turns the bytes of an SMS_SUBMIT message into a SubmitAccepted the router
 * can route, or a PoisonSubmitError when no number of redeliveries could ever
 * route it (so it is terminated, not nak'ed in a loop).
 */
import { fromBinary } from '@bufbuild/protobuf';
import { envelopeKey } from '@smsgw/nats';
import { SubmitAcceptedSchema, type SubmitAccepted } from '@smsgw/proto';
import { PoisonSubmitError } from './errors.ts';

/** Decodes and checks a submit; throws PoisonSubmitError for bytes that are not a routable SubmitAccepted. */
export function decodeSubmit(data: Uint8Array): SubmitAccepted {
  let submit: SubmitAccepted;
  try {
    submit = fromBinary(SubmitAcceptedSchema, data);
  } catch (error) {
    throw new PoisonSubmitError(`not a SubmitAccepted (${data.length} bytes)`, { cause: error });
  }
  // The edge fills these on every submit; a message without them was not written by an edge.
  if (submit.messageId === '') throw new PoisonSubmitError('submit has no message_id');
  if (submit.systemId === '') throw new PoisonSubmitError(`submit ${submit.messageId} has no system_id`);
  if (submit.destination === undefined || submit.destination.addr === '') {
    throw new PoisonSubmitError(`submit ${submit.messageId} has no destination address`);
  }
  try {
    // The message id is the envelope's KV key; one that cannot be a key can never be stored.
    envelopeKey(submit.messageId);
  } catch (error) {
    throw new PoisonSubmitError(`submit message_id ${JSON.stringify(submit.messageId)} cannot be a key`, {
      cause: error,
    });
  }
  return submit;
}
