/**
 * Trace context in NATS message headers, the one carrier every hop over
 * JetStream uses (docs/architecture.md invariant 6): a TextMapGetter/Setter over nats.js'
 * MsgHdrs for the OpenTelemetry propagation API, and the extract/inject calls
 * the services make. Header names are matched case-insensitively on the way
 * in, as in HTTP; they are written lower-case (`traceparent`, `tracestate`).
 */
import {
  ROOT_CONTEXT,
  propagation,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { headers as newHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { ensurePropagator } from './propagator.ts';
import { extractFromFields, type TraceFields } from './proto-carrier.ts';

/** Reads propagation fields from a message's headers (absent headers read as empty). */
export const natsHeaderGetter: TextMapGetter<MsgHdrs | undefined> = {
  keys(carrier) {
    return carrier?.keys() ?? [];
  },
  get(carrier, key) {
    if (carrier === undefined) return undefined;
    // One pass over the few headers a message has: nats.js' own lookups copy and filter the key list per call.
    for (const [name, values] of carrier) {
      if (name.length === key.length && name.toLowerCase() === key) {
        const value = values[0];
        return value === undefined || value === '' ? undefined : value;
      }
    }
    return undefined;
  },
};

/** Writes propagation fields into message headers. */
export const natsHeaderSetter: TextMapSetter<MsgHdrs> = {
  set(carrier, key, value) {
    carrier.set(key, value);
  },
};

/**
 * The context a received message carries: its headers' traceparent, else (a
 * publisher that set no headers) the fields stored in the message itself,
 * else an empty context (the span started from it is a root).
 */
export function extractFromHeaders(headers: MsgHdrs | undefined, fallback?: Readonly<TraceFields>): Context {
  ensurePropagator();
  const context = propagation.extract(ROOT_CONTEXT, headers, natsHeaderGetter);
  if (fallback === undefined || trace.getSpanContext(context) !== undefined) return context;
  return extractFromFields(fallback);
}

/**
 * Writes `context`'s trace context into `into` (created when not given);
 * returns the headers, or undefined when none were given and there was
 * nothing to write (no span in the context).
 */
export function injectIntoHeaders(context: Context, into?: MsgHdrs): MsgHdrs | undefined {
  ensurePropagator();
  if (into !== undefined) {
    propagation.inject(context, into, natsHeaderSetter);
    return into;
  }
  let created: MsgHdrs | undefined;
  propagation.inject(context, undefined, {
    set(_carrier, key, value) {
      created ??= newHeaders();
      // Fresh headers: nothing to replace.
      created.append(key, value);
    },
  });
  return created;
}
