/**
 * Test support: an in-memory span exporter behind a real SDK tracer provider,
 * the AsyncLocalStorage context manager and the W3C propagator, registered
 * globally for one test file (vitest runs each file in its own process).
 * Spans are exported as they end (SimpleSpanProcessor), so a test reads them
 * at once.
 *
 * Once per file (beforeAll/afterAll): stop() unregisters the provider, and the
 * API then hands out a new proxy, so tracers made at import time (the
 * services' module-level ones) would stay no-ops under a second start.
 * useTestTracing() registers those hooks for a vitest file. Only tests import
 * this module.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { TelemetryError } from './errors.ts';
import { defaultPropagator, resetPropagatorCheck } from './propagator.ts';
import { setTelemetryHandle } from './state.ts';

/** A test's tracing. */
export interface TestTracing {
  /** Every span ended so far, in the order they ended. */
  spans(): ReadableSpan[];
  /** Forgets the spans ended so far. */
  reset(): void;
  /** Unregisters everything (the API is a no-op again). */
  stop(): Promise<void>;
}

/** Registers an SDK that keeps every span in memory; call stop() when done. */
export function startTestTracing(serviceName = 'test'): TestTracing {
  // The W3C propagator may be installed already (ensurePropagator); context and propagation have no
  // proxies, so replacing them is safe. The tracer provider's proxy must stay (see the module comment).
  context.disable();
  propagation.disable();
  resetPropagatorCheck();
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  if (!trace.setGlobalTracerProvider(provider)) {
    throw new TelemetryError('a tracer provider is registered already: one startTestTracing per test file');
  }
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(defaultPropagator());
  setTelemetryHandle({ shutdown: () => provider.shutdown() });
  return {
    spans: () => exporter.getFinishedSpans(),
    reset: () => {
      exporter.reset();
    },
    async stop() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      resetPropagatorCheck();
      setTelemetryHandle(undefined);
    },
  };
}

/**
 * For a vitest file: startTestTracing() before its tests, a reset before each
 * (each test sees only its own spans), stop() after them all. The returned
 * handle reaches the tracing started then.
 */
export function useTestTracing(serviceName?: string): TestTracing {
  let tracing: TestTracing | undefined;
  const started = (): TestTracing => {
    if (tracing === undefined) throw new TelemetryError('useTestTracing: used before its beforeAll ran');
    return tracing;
  };
  beforeAll(() => {
    tracing = startTestTracing(serviceName);
  });
  afterAll(async () => {
    await started().stop();
  });
  beforeEach(() => {
    started().reset();
  });
  return {
    spans: () => started().spans(),
    reset: () => {
      started().reset();
    },
    stop: () => started().stop(),
  };
}

/** The span's parent span id, '' for a root span. */
export function parentSpanIdOf(span: ReadableSpan): string {
  return span.parentSpanContext?.spanId ?? '';
}

export type { ReadableSpan } from '@opentelemetry/sdk-trace';
export { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver.ts';
export { OtlpSpanKind, decodeTraceRequest, type AttributeValue, type ReceivedSpan } from './otlp-decode.ts';
