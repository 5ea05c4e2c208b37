/**
 * W3C trace context propagation even without an SDK: with the OpenTelemetry
 * API alone, the global propagator is a no-op and every hop would drop the
 * traceparent it received. Installing the W3C one (what the SDK installs by
 * default) keeps a message's context flowing through a service that exports
 * nothing: its spans are non-recording and pass their parent's context on.
 */
import { propagation } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';

let ensured = false;

/** The propagator the SDK installs by default: W3C trace context plus baggage. */
export function defaultPropagator(): CompositePropagator {
  return new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  });
}

/**
 * Installs the W3C trace context propagator unless one is registered already
 * (the SDK's). Only trace context, not baggage: without an SDK nothing here
 * reads baggage, and each message's hop skips its parsing. Cheap after the
 * first call.
 */
export function ensurePropagator(): void {
  if (ensured) return;
  ensured = true;
  // A registered propagator names the fields it writes; the API's no-op one names none.
  if (propagation.fields().length === 0) propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

/** Forgets that the propagator was ensured (tests that reset the API's globals). */
export function resetPropagatorCheck(): void {
  ensured = false;
}
