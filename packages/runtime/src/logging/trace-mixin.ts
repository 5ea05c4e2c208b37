/**
 * trace_id, span_id and trace_flags of the active span on every log line
 * written inside one (docs/architecture.md invariant 6), the fields instrumentation-pino
 * writes, so that a log line leads to its trace in Jaeger. Only the
 * OpenTelemetry API is used: without an SDK (tracing off) there is no active
 * span and lines carry nothing extra.
 */
import { context, isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * The trace fields of the active span, or none outside a span. Called for
 * every line logged; returns a fresh object each time, because pino merges the
 * line's own fields into it.
 */
export function traceContextFields(): Record<string, unknown> {
  const span = trace.getSpan(context.active());
  if (span === undefined) return {};
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return {};
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: spanContext.traceFlags.toString(16).padStart(2, '0'),
  };
}
