/**
 * Spans of SMPP PDUs on the edge: the SERVER span of a submit_sm a client
 * sent (answered with submit_sm_resp) and the CLIENT span of a deliver_sm the
 * edge sent (answered with deliver_sm_resp), named by the command. Their
 * outcome is the response's command_status by name (recordCommandStatus).
 */
import { SpanKind, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { SmppAttr } from './attributes.ts';
import { startChildSpan } from './child-span.ts';

/** What an SMPP span starts with. */
export interface SmppSpanOptions {
  /** The PDU's command: submit_sm, deliver_sm. */
  readonly command: string;
  /** SERVER for a request the client sent, CLIENT for one the edge sent. */
  readonly kind: SpanKind.SERVER | SpanKind.CLIENT;
  readonly parent: Context;
  /** The account (bind system_id). */
  readonly systemId?: string;
  /** The edge's session id. */
  readonly sessionId?: string;
}

/** Starts the span of one SMPP request. */
export function startSmppSpan(tracer: Tracer, options: SmppSpanOptions): Span {
  const span = startChildSpan(tracer, options.command, { kind: options.kind }, options.parent);
  if (span.isRecording()) {
    span.setAttribute(SmppAttr.command, options.command);
    if (options.systemId !== undefined) span.setAttribute(SmppAttr.systemId, options.systemId);
    if (options.sessionId !== undefined) span.setAttribute(SmppAttr.sessionId, options.sessionId);
  }
  return span;
}
