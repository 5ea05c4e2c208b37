/**
 * "Try next" (README.md, "Try next"): a driver refused a message with a
 * command_status the connector's CONNECTOR_TRY_NEXT_STATUSES lists, so the message goes
 * to the next connector of its route (RoutedMessage.fallback_connectors)
 * instead of a retry here; with none left it ends REJECTED.
 *
 * The hand-on is published on the next connector's lane with Nats-Msg-Id
 * `<message_id>~<next connector>`: a redelivery of this message hands on
 * under the same id and is dropped as a duplicate, while the id differs from
 * the router's (the bare message id), which the duplicate window would
 * otherwise drop.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { Context } from '@opentelemetry/api';
import { routeSubject, type Priority } from '@smsgw/nats';
import { nextTurn } from '@smsgw/runtime';
import { RoutedMessageSchema, type RoutedMessage } from '@smsgw/proto';
import {
  contextWithSpan,
  injectIntoHeaders,
  recordError,
  startPublishSpan,
  tracerFor,
} from '@smsgw/telemetry';

const tracer = tracerFor('@smsgw/connector');

/** The error_code of a message no connector of its route would take: 0x1100 | the command_status' low byte (ESME_RSUBMITFAIL 0x45 → 0x1145). */
export function tryNextExhaustedErrorCode(commandStatus: number): number {
  return 0x1100 | (commandStatus & 0xff);
}

/** Nats-Msg-Id of a message handed on to `connector`: `<message_id>~<connector>`. */
export function tryNextMsgId(messageId: string, connector: string): string {
  return `${messageId}~${connector}`;
}

/** The routed message for the next connector of its route, or undefined when none is left. */
export function handedOn(routed: RoutedMessage): RoutedMessage | undefined {
  const [next, ...rest] = routed.fallbackConnectors;
  if (next === undefined) return undefined;
  return create(RoutedMessageSchema, { ...routed, connector: next, fallbackConnectors: rest });
}

/** Publishes a handed-on message on its connector's lane, inside a PRODUCER span whose context it carries. */
export async function publishHandedOn(
  js: JetStreamClient,
  routed: RoutedMessage,
  messageId: string,
  priority: Priority,
  parent: Context,
): Promise<PubAck> {
  const subject = routeSubject(routed.connector, priority);
  const data = toBinary(RoutedMessageSchema, routed);
  const span = startPublishSpan(tracer, { subject, parent, messageId, bodySize: data.length });
  const headers = injectIntoHeaders(contextWithSpan(parent, span));
  const msgID = tryNextMsgId(messageId, routed.connector);
  try {
    // With the other publishes of this turn: they share one socket write (@smsgw/runtime nextTurn).
    await nextTurn();
    return await js.publish(subject, data, headers === undefined ? { msgID } : { msgID, headers });
  } catch (error) {
    recordError(span, error);
    throw error;
  } finally {
    span.end();
  }
}
