import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { extractFromFields, injectIntoFields, traceFieldsOf } from './proto-carrier.ts';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('protobuf trace fields carrier', () => {
  it('round-trips traceparent and tracestate through a message', () => {
    const context = extractFromFields({ traceparent: TRACEPARENT, tracestate: 'a=1,b=2' });
    expect(trace.getSpanContext(context)?.traceState?.get('b')).toBe('2');
    expect(traceFieldsOf(context)).toEqual({ traceparent: TRACEPARENT, tracestate: 'a=1,b=2' });
  });

  it('clears the fields when the context has no span, and ignores what is not trace context', () => {
    const report = { traceparent: TRACEPARENT, tracestate: 'a=1', reportId: 'r1' };
    injectIntoFields(ROOT_CONTEXT, report);
    expect(report).toEqual({ traceparent: '', tracestate: '', reportId: 'r1' });
    expect(extractFromFields({ traceparent: 'garbage', tracestate: '' })).toBe(ROOT_CONTEXT);
  });
});
