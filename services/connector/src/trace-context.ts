import type { MsgHdrs } from '@nats-io/transport-node';
import { Header } from '@smsgw/nats';
import type { SubmitAccepted } from '@smsgw/proto';

/** W3C trace context of one message; empty strings when there is none. */
export interface TraceContext {
  readonly traceparent: string;
  readonly tracestate: string;
}

/**
 * The trace context to pass on with a routed message's status events: the
 * routed message's own headers (the router's hop), else the submit's, which the
 * edge recorded when it accepted the message.
 */
export function traceContextOf(headers: MsgHdrs | undefined, submit: SubmitAccepted): TraceContext {
  const traceparent = headers?.get(Header.traceparent) ?? '';
  if (traceparent !== '') return { traceparent, tracestate: headers?.get(Header.tracestate) ?? '' };
  return { traceparent: submit.traceparent, tracestate: submit.traceparent === '' ? '' : submit.tracestate };
}
