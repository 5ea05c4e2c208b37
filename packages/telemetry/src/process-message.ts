/**
 * The one way a service handles a received JetStream message inside its
 * CONSUMER span: the context the message carries (its headers, else the
 * fields of its decoded payload), the span `process <destination>` with the
 * hop's attributes, the work run with the span active (log lines carry its
 * trace_id), the outcome the work returns recorded as `smsgw.outcome`, and the
 * span ended however the work ends.
 */
import type { Context, Span, Tracer } from '@opentelemetry/api';
import type { MsgHdrs } from '@nats-io/transport-node';
import { SmsgwAttr } from './attributes.ts';
import { contextWithSpan, startProcessSpan, withSpan } from './messaging-spans.ts';
import { extractFromHeaders } from './nats-carrier.ts';
import type { TraceFields } from './proto-carrier.ts';

/** What processMessage reads of a JetStream message (a JsMsg has it). */
export interface ReceivedMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers?: MsgHdrs | undefined;
  readonly info: { readonly deliveryCount: number };
}

/** Where the message came from, for the span's name and attributes. */
export interface ProcessHop {
  /** Low-cardinality template of the subject (SubjectTemplate), when it names an account. */
  readonly template?: string;
  /** The durable consumer. */
  readonly consumer?: string;
  /** The JetStream stream. */
  readonly stream?: string;
  /** When handling began (epoch ms), when that was before this call. */
  readonly startTime?: number;
  /** The decoded payload's own trace fields: the parent when the headers carry none. */
  readonly fallback?: Readonly<TraceFields> | undefined;
}

/**
 * Runs `work` inside the message's CONSUMER span (see the module comment);
 * `work` gets the span's context (the parent of what it publishes) and the
 * span (for attributes). Resolves with `work`'s outcome.
 */
export async function processMessage<R extends string>(
  tracer: Tracer,
  m: ReceivedMessage,
  hop: ProcessHop,
  work: (processing: Context, span: Span) => Promise<R> | R,
): Promise<R> {
  const parent = extractFromHeaders(m.headers, hop.fallback);
  const span = startProcessSpan(tracer, {
    subject: m.subject,
    ...(hop.template === undefined ? {} : { template: hop.template }),
    ...(hop.consumer === undefined ? {} : { consumer: hop.consumer }),
    ...(hop.stream === undefined ? {} : { stream: hop.stream }),
    ...(hop.startTime === undefined ? {} : { startTime: hop.startTime }),
    parent,
    deliveryCount: m.info.deliveryCount,
    bodySize: m.data.length,
  });
  try {
    const outcome = await withSpan(parent, span, () => work(contextWithSpan(parent, span), span));
    span.setAttribute(SmsgwAttr.outcome, outcome);
    return outcome;
  } finally {
    span.end();
  }
}
