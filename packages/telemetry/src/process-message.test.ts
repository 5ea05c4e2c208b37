import { SpanKind, trace } from '@opentelemetry/api';
import { headers } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { SubjectTemplate } from './messaging-spans.ts';
import { processMessage, type ReceivedMessage } from './process-message.ts';
import { parentSpanIdOf, useTestTracing } from './testing.ts';
import { tracerFor } from './tracer.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
const FIELDS_TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const tracer = tracerFor('@smsgw/test');
const tracing = useTestTracing();

function message(traceparent?: string): ReceivedMessage {
  const h = headers();
  if (traceparent !== undefined) h.set('traceparent', traceparent);
  return { subject: 'sms.submit.acme', data: new Uint8Array(7), headers: h, info: { deliveryCount: 3 } };
}

describe('processMessage', () => {
  it('runs the work inside the CONSUMER span parented on the headers, recording its outcome', async () => {
    let active: string | undefined;
    const outcome = await processMessage(
      tracer,
      message(TRACEPARENT),
      { template: SubjectTemplate.submit, consumer: 'router', stream: 'SMS_SUBMIT' },
      (processing, span) => {
        active = trace.getActiveSpan()?.spanContext().spanId;
        expect(trace.getSpan(processing)).toBe(span);
        return Promise.resolve('routed' as const);
      },
    );
    expect(outcome).toBe('routed');
    const [span] = tracing.spans();
    expect(span).toMatchObject({
      name: 'process sms.submit.{account}',
      kind: SpanKind.CONSUMER,
      attributes: {
        'smsgw.outcome': 'routed',
        'messaging.consumer.group.name': 'router',
        'messaging.nats.stream': 'SMS_SUBMIT',
        'messaging.nats.delivery_count': 3,
        'messaging.message.body.size': 7,
      },
    });
    expect(span?.spanContext().traceId).toBe(TRACE_ID);
    expect(parentSpanIdOf(span!)).toBe('00f067aa0ba902b7');
    expect(active).toBe(span?.spanContext().spanId);
  });

  it('falls back to the payload’s fields when the headers carry no context', async () => {
    await processMessage(
      tracer,
      message(),
      { fallback: { traceparent: FIELDS_TRACEPARENT, tracestate: '' } },
      () => 'stored',
    );
    expect(tracing.spans()[0]?.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('ends the span when the work throws, and passes the error on', async () => {
    const failure = new Error('boom');
    await expect(
      processMessage(tracer, message(TRACEPARENT), {}, () => Promise.reject(failure)),
    ).rejects.toBe(failure);
    expect(tracing.spans()).toHaveLength(1);
  });
});
