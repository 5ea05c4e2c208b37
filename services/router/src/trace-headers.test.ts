import { headers } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { traceHeaders } from './trace-headers.ts';
import { makeSubmit, TRACEPARENT } from './router.test-support.ts';

const OTHER_PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('traceHeaders', () => {
  it('carries the submit message headers through unchanged', () => {
    const h = headers();
    h.set('traceparent', TRACEPARENT);
    h.set('tracestate', 'vendor=abc');
    h.set('Nats-Msg-Id', '1');
    const out = traceHeaders(h, makeSubmit('1', { traceparent: OTHER_PARENT }));
    expect(out?.get('traceparent')).toBe(TRACEPARENT);
    expect(out?.get('tracestate')).toBe('vendor=abc');
    // Only trace context: the submit's own Nats-Msg-Id is not copied.
    expect(out?.has('Nats-Msg-Id')).toBe(false);
  });

  it('matches header names in any case', () => {
    const h = headers();
    h.set('TraceParent', TRACEPARENT);
    expect(traceHeaders(h, makeSubmit('1'))?.get('traceparent')).toBe(TRACEPARENT);
  });

  it('falls back to the context stored in the submit when the message has no traceparent header', () => {
    const out = traceHeaders(undefined, makeSubmit('1', { traceparent: OTHER_PARENT, tracestate: 'x=1' }));
    expect(out?.get('traceparent')).toBe(OTHER_PARENT);
    expect(out?.get('tracestate')).toBe('x=1');
  });

  it('omits tracestate when there is none, and everything when there is no context at all', () => {
    const h = headers();
    h.set('traceparent', TRACEPARENT);
    expect(traceHeaders(h, makeSubmit('1'))?.has('tracestate')).toBe(false);
    expect(traceHeaders(undefined, makeSubmit('1'))).toBeUndefined();
    expect(traceHeaders(headers(), makeSubmit('1'))).toBeUndefined();
  });
});
