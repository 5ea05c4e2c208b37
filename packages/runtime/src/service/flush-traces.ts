/**
 * Exports the spans an OpenTelemetry SDK still buffers, before the process
 * exits (shutdown's close phase). Only the API is used: the SDK's tracer
 * provider, registered behind the API's proxy by @smsgw/telemetry's preload,
 * has forceFlush(); without an SDK there is nothing to flush.
 */
import { trace } from '@opentelemetry/api';

interface Flushable {
  forceFlush(): Promise<void>;
}

/** The API's global provider is a proxy (its class is deprecated for naming) whose delegate is the SDK's. */
function delegateOf(provider: object): unknown {
  return 'getDelegate' in provider && typeof provider.getDelegate === 'function'
    ? (provider.getDelegate as () => unknown).call(provider)
    : provider;
}

function isFlushable(provider: unknown): provider is Flushable {
  return (
    typeof provider === 'object' &&
    provider !== null &&
    'forceFlush' in provider &&
    typeof provider.forceFlush === 'function'
  );
}

/** Flushes the registered tracer provider's span processors; resolves at once when none is registered. */
export async function flushTraces(): Promise<void> {
  const provider = delegateOf(trace.getTracerProvider());
  if (isFlushable(provider)) await provider.forceFlush();
}
