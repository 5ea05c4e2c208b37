/**
 * W3C trace context through the dispatcher's hop (DESIGN.md invariant 6): the
 * status message's traceparent/tracestate go onto the report unchanged; when
 * the status message carries none, the context the router stored in the
 * envelope (the submit's) is used, so the report still joins the submit's trace.
 */
import { Match, headers, type MsgHdrs } from '@nats-io/transport-node';
import { Header } from '@smsgw/nats';
import type { MessageEnvelope } from '@smsgw/proto';

/** A header's value, matched case-insensitively; '' when absent. */
function headerValue(incoming: MsgHdrs | undefined, name: string): string {
  return incoming?.has(name, Match.IgnoreCase) === true ? incoming.get(name, Match.IgnoreCase) : '';
}

/** The trace headers for the report message; undefined when there is no trace context. */
export function traceHeaders(incoming: MsgHdrs | undefined, envelope: MessageEnvelope): MsgHdrs | undefined {
  let traceparent = headerValue(incoming, Header.traceparent);
  let tracestate = headerValue(incoming, Header.tracestate);
  if (traceparent === '') {
    traceparent = envelope.traceparent;
    tracestate = envelope.tracestate;
  }
  if (traceparent === '') return undefined;
  const out = headers();
  out.set(Header.traceparent, traceparent);
  if (tracestate !== '') out.set(Header.tracestate, tracestate);
  return out;
}
