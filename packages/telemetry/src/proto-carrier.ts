/**
 * Trace context in protobuf fields: SubmitAccepted, MessageEnvelope and
 * DeliveryReport carry `traceparent`/`tracestate` strings. The envelope keeps
 * a message's context for its DLR (read back by the dispatcher), and the
 * DeliveryReport carries it over the EdgeDelivery stream, where one
 * long-lived gRPC call carries many reports and its metadata cannot carry a
 * context per report.
 */
import {
  ROOT_CONTEXT,
  propagation,
  type Context,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { ensurePropagator } from './propagator.ts';

/** The trace fields of a protobuf message; empty strings when there is no context. */
export interface TraceFields {
  traceparent: string;
  tracestate: string;
}

/** Reads propagation fields from a message's trace fields. */
export const traceFieldsGetter: TextMapGetter<Readonly<TraceFields>> = {
  keys() {
    return ['traceparent', 'tracestate'];
  },
  get(carrier, key) {
    const value =
      key === 'traceparent' ? carrier.traceparent : key === 'tracestate' ? carrier.tracestate : '';
    return value === '' ? undefined : value;
  },
};

/** Writes propagation fields into a message's trace fields (other fields, e.g. baggage, are dropped). */
export const traceFieldsSetter: TextMapSetter<TraceFields> = {
  set(carrier, key, value) {
    if (key === 'traceparent') carrier.traceparent = value;
    else if (key === 'tracestate') carrier.tracestate = value;
  },
};

/** The context stored in a message's trace fields (empty when they are). */
export function extractFromFields(fields: Readonly<TraceFields>, parent: Context = ROOT_CONTEXT): Context {
  ensurePropagator();
  return propagation.extract(parent, fields, traceFieldsGetter);
}

/** Replaces `target`'s trace fields with `context`'s trace context (both empty when it has none). */
export function injectIntoFields(context: Context, target: TraceFields): void {
  ensurePropagator();
  target.traceparent = '';
  target.tracestate = '';
  propagation.inject(context, target, traceFieldsSetter);
}

/** `context`'s trace context as a new pair of trace fields. */
export function traceFieldsOf(context: Context): TraceFields {
  const fields: TraceFields = { traceparent: '', tracestate: '' };
  injectIntoFields(context, fields);
  return fields;
}
