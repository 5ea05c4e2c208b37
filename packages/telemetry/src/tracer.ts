/** The tracer of a service or package: spans carry its name as their instrumentation scope. */
import { INVALID_SPAN_CONTEXT, trace, type Span, type Tracer } from '@opentelemetry/api';

/**
 * A tracer named after the package that makes the spans (`@smsgw/router`).
 * Safe to create at module load, before the SDK starts: the API hands out a
 * proxy that follows the provider registered later.
 */
export function tracerFor(name: string, version?: string): Tracer {
  return trace.getTracer(name, version);
}

/**
 * The span a hot path passes around when tracing is off (isTracingEnabled() false): records nothing and
 * costs nothing, so that code taking a Span needs no second variant.
 */
export const UNTRACED_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
