import { fromBinary } from '@bufbuild/protobuf';
import { RoutedMessageSchema, type RoutedMessage, type SubmitAccepted } from '@smsgw/proto';
import { MalformedRoutedMessageError } from './errors.ts';

/** A routed message with everything a status event needs. */
export type DecodedRoutedMessage = RoutedMessage & { readonly submit: SubmitAccepted };

/** Decodes a lane message; throws MalformedRoutedMessageError when it can never be processed. */
export function decodeRoutedMessage(data: Uint8Array): DecodedRoutedMessage {
  let routed: RoutedMessage;
  try {
    routed = fromBinary(RoutedMessageSchema, data);
  } catch (err) {
    throw new MalformedRoutedMessageError('not a smsgw.v1.RoutedMessage', { cause: err });
  }
  if (!hasSubmit(routed)) throw new MalformedRoutedMessageError('routed message without its submit');
  if (routed.submit.messageId === '') throw new MalformedRoutedMessageError('submit without message_id');
  if (routed.submit.systemId === '') throw new MalformedRoutedMessageError('submit without system_id');
  return routed;
}

function hasSubmit(routed: RoutedMessage): routed is DecodedRoutedMessage {
  return routed.submit !== undefined;
}
