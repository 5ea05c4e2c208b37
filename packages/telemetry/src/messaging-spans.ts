/**
 * Spans for JetStream hops, after the messaging semantic conventions: a
 * PRODUCER span `publish <destination>` around a publish (its context goes
 * into the message's headers) and a CONSUMER span `process <destination>`
 * around handling a received message, parented on the context the message
 * carries, so that a message's hops form one trace.
 *
 * `<destination>` is the subject, or for per-account subjects its template
 * (`sms.submit.{account}`): span names stay few however many accounts there
 * are, and the subject itself is in messaging.destination.name.
 */
import {
  SpanKind,
  context as contextApi,
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { SubjectRoot } from '@smsgw/nats';
import { MessagingAttr } from './attributes.ts';
import { startChildSpan } from './child-span.ts';

/** Templates of the per-account subjects (messaging.destination.template). */
export const SubjectTemplate = {
  submit: `${SubjectRoot.submit}.{account}`,
  status: `${SubjectRoot.status}.{account}`,
  dlr: `${SubjectRoot.dlr}.{account}`,
  mo: `${SubjectRoot.mo}.{account}`,
} as const;

/** The NATS subject of a hop. */
export interface MessagingTarget {
  /** The subject published to or received on. */
  readonly subject: string;
  /** Its low-cardinality template (SubjectTemplate), when the subject names an account. */
  readonly template?: string;
}

/** What a publish span records. */
export interface PublishSpanOptions extends MessagingTarget {
  /** The span's parent (the processing span, or the edge's submit span). */
  readonly parent: Context;
  /** The Nats-Msg-Id, or the message id it is derived from. */
  readonly messageId?: string;
  /** Bytes of the payload. */
  readonly bodySize?: number;
}

/** What a process span records. */
export interface ProcessSpanOptions extends MessagingTarget {
  /** The context the message carries (extractFromHeaders). */
  readonly parent: Context;
  /** The durable consumer it came through. */
  readonly consumer?: string;
  /** The JetStream stream. */
  readonly stream?: string;
  /** JetStream's delivery count. */
  readonly deliveryCount?: number;
  /** The message's id, when known before decoding (set it later with setAttribute otherwise). */
  readonly messageId?: string;
  /** Bytes of the payload. */
  readonly bodySize?: number;
  /** When handling began (epoch ms), when the span is started later than that. */
  readonly startTime?: number;
}

const NATS = 'nats';

function spanName(operation: string, target: MessagingTarget): string {
  return `${operation} ${target.template ?? target.subject}`;
}

function common(span: Span, target: MessagingTarget, operationType: string, operationName: string): void {
  span.setAttribute(MessagingAttr.system, NATS);
  span.setAttribute(MessagingAttr.systemName, NATS);
  span.setAttribute(MessagingAttr.destinationName, target.subject);
  if (target.template !== undefined) span.setAttribute(MessagingAttr.destinationTemplate, target.template);
  span.setAttribute(MessagingAttr.operationType, operationType);
  span.setAttribute(MessagingAttr.operationName, operationName);
}

/** Starts the PRODUCER span of a publish; inject its context (trace.setSpan) into the message. */
export function startPublishSpan(tracer: Tracer, options: PublishSpanOptions): Span {
  const span = startChildSpan(
    tracer,
    spanName('publish', options),
    { kind: SpanKind.PRODUCER },
    options.parent,
  );
  // Attributes only for a recording span: a no-op span (tracing off, or not sampled) costs nothing more.
  if (span.isRecording()) {
    common(span, options, 'send', 'publish');
    if (options.messageId !== undefined) span.setAttribute(MessagingAttr.messageId, options.messageId);
    if (options.bodySize !== undefined) span.setAttribute(MessagingAttr.bodySize, options.bodySize);
  }
  return span;
}

/** Starts the CONSUMER span of handling one received message. */
export function startProcessSpan(tracer: Tracer, options: ProcessSpanOptions): Span {
  const span = tracer.startSpan(
    spanName('process', options),
    options.startTime === undefined
      ? { kind: SpanKind.CONSUMER }
      : { kind: SpanKind.CONSUMER, startTime: options.startTime },
    options.parent,
  );
  if (span.isRecording()) {
    common(span, options, 'process', 'process');
    if (options.consumer !== undefined) span.setAttribute(MessagingAttr.consumerGroup, options.consumer);
    if (options.stream !== undefined) span.setAttribute(MessagingAttr.natsStream, options.stream);
    if (options.deliveryCount !== undefined) {
      span.setAttribute(MessagingAttr.natsDeliveryCount, options.deliveryCount);
    }
    if (options.messageId !== undefined) span.setAttribute(MessagingAttr.messageId, options.messageId);
    if (options.bodySize !== undefined) span.setAttribute(MessagingAttr.bodySize, options.bodySize);
  }
  return span;
}

/** `parent` with `span` as its active span: the context to inject, or to run work in. */
export function contextWithSpan(parent: Context, span: Span): Context {
  return trace.setSpan(parent, span);
}

/**
 * Runs `fn` with `span` active (on top of `parent`), so that log lines written
 * inside carry its trace_id and span_id; returns what `fn` returns.
 */
export function withSpan<T>(parent: Context, span: Span, fn: () => T): T {
  return contextApi.with(trace.setSpan(parent, span), fn);
}
