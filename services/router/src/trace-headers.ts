/**
 * W3C trace context through the router's hop (DESIGN.md invariant 6): the
 * traceparent/tracestate headers of the submit message go onto the routed
 * message unchanged. When the submit message carries none (an edge without
 * tracing headers), the context the edge stored in the SubmitAccepted is used,
 * so the routed message still joins the submit's trace.
 */
import { Match, headers, type MsgHdrs } from '@nats-io/transport-node';
import { Header } from '@smsgw/nats';
import type { SubmitAccepted } from '@smsgw/proto';

/** A header's value, matched case-insensitively (HTTP-style header names); '' when absent. */
function headerValue(incoming: MsgHdrs | undefined, name: string): string {
  return incoming?.has(name, Match.IgnoreCase) === true ? incoming.get(name, Match.IgnoreCase) : '';
}

/** The trace headers for the routed message: the submit message's, else the SubmitAccepted's; undefined when there is no trace context. */
export function traceHeaders(incoming: MsgHdrs | undefined, submit: SubmitAccepted): MsgHdrs | undefined {
  let traceparent = headerValue(incoming, Header.traceparent);
  let tracestate = headerValue(incoming, Header.tracestate);
  if (traceparent === '') {
    traceparent = submit.traceparent;
    tracestate = submit.tracestate;
  }
  if (traceparent === '') return undefined;
  const out = headers();
  out.set(Header.traceparent, traceparent);
  if (tracestate !== '') out.set(Header.tracestate, tracestate);
  return out;
}
