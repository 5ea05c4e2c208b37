import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { headers } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFromHeaders, injectIntoHeaders, natsHeaderGetter } from './nats-carrier.ts';
import { startTestTracing, type TestTracing } from './testing.ts';
import { tracerFor } from './tracer.ts';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const OTHER = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('NATS header carrier without an SDK (tracing off)', () => {
  it('reads traceparent and tracestate in any case, and lists the keys', () => {
    const h = headers();
    h.set('TraceParent', TRACEPARENT);
    h.set('tracestate', 'vendor=abc');
    expect(natsHeaderGetter.get(h, 'traceparent')).toBe(TRACEPARENT);
    expect(natsHeaderGetter.get(h, 'missing')).toBeUndefined();
    expect(natsHeaderGetter.get(undefined, 'traceparent')).toBeUndefined();
    expect(natsHeaderGetter.keys(h)).toEqual(['TraceParent', 'tracestate']);
    const context = extractFromHeaders(h);
    expect(trace.getSpanContext(context)).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      isRemote: true,
    });
  });

  it('passes the context through a service unchanged: its spans are no-ops carrying the parent', () => {
    const h = headers();
    h.set('traceparent', TRACEPARENT);
    h.set('tracestate', 'vendor=abc');
    const parent = extractFromHeaders(h);
    const span = tracerFor('test').startSpan('process', {}, parent);
    expect(span.isRecording()).toBe(false);
    const out = injectIntoHeaders(trace.setSpan(parent, span));
    expect(out?.get('traceparent')).toBe(TRACEPARENT);
    expect(out?.get('tracestate')).toBe('vendor=abc');
  });

  it('falls back to the fields stored in the message when the headers carry no context', () => {
    const fallback = { traceparent: OTHER, tracestate: 'x=1' };
    expect(trace.getSpanContext(extractFromHeaders(undefined, fallback))?.traceId).toBe(
      '0af7651916cd43dd8448eb211c80319c',
    );
    expect(trace.getSpanContext(extractFromHeaders(headers(), fallback))?.spanId).toBe('b7ad6b7169203331');
    // The headers win when both carry one.
    const h = headers();
    h.set('traceparent', TRACEPARENT);
    expect(trace.getSpanContext(extractFromHeaders(h, fallback))?.spanId).toBe('00f067aa0ba902b7');
  });

  it('writes nothing, and makes no headers, when there is no context', () => {
    expect(injectIntoHeaders(ROOT_CONTEXT)).toBeUndefined();
    const given = headers();
    expect(injectIntoHeaders(ROOT_CONTEXT, given)).toBe(given);
    expect(given.keys()).toEqual([]);
    expect(extractFromHeaders(undefined, { traceparent: '', tracestate: '' })).toBe(ROOT_CONTEXT);
    expect(trace.getSpanContext(extractFromHeaders(undefined))).toBeUndefined();
  });
});

describe('NATS header carrier with an SDK', () => {
  let tracing: TestTracing;
  beforeAll(() => {
    tracing = startTestTracing();
  });
  afterAll(async () => {
    await tracing.stop();
  });

  it("injects the new span's context, keeping the trace and the tracestate", () => {
    const h = headers();
    h.set('traceparent', TRACEPARENT);
    h.set('tracestate', 'vendor=abc');
    const parent = extractFromHeaders(h);
    const span = tracerFor('test').startSpan('publish', {}, parent);
    const out = injectIntoHeaders(trace.setSpan(parent, span), headers());
    span.end();
    const spanId = span.spanContext().spanId;
    expect(out?.get('traceparent')).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${spanId}-01`);
    expect(out?.get('tracestate')).toBe('vendor=abc');
  });
});
