/**
 * Starting a span under a local parent, skipping the SDK when the parent's
 * trace is sampled out: under the default parent-based sampler such a child
 * would not be recorded either, yet the SDK still pays for ids, sampling and
 * bookkeeping (tens of microseconds per span on the edge's hot path). The
 * child is then the parent's own context as a non-recording span, so that
 * what is injected downstream carries the same not-sampled decision.
 */
import {
  TraceFlags,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';

/** Starts `name` under `parent` (see the module comment). */
export function startChildSpan(tracer: Tracer, name: string, options: SpanOptions, parent: Context): Span {
  const local = trace.getSpan(parent);
  if (local !== undefined) {
    const context = local.spanContext();
    // A remote parent (extracted from a message) keeps the SDK's say: its sampler may differ from ours.
    if (context.isRemote !== true && (context.traceFlags & TraceFlags.SAMPLED) === 0) {
      return trace.wrapSpanContext(context);
    }
  }
  return tracer.startSpan(name, options, parent);
}
