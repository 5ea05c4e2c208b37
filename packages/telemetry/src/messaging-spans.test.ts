import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { CommandStatus, GenericNackError } from '@smsgw/smpp';
import { describe, expect, it } from 'vitest';
import { extractFromFields } from './proto-carrier.ts';
import { SubjectTemplate, startProcessSpan, startPublishSpan, withSpan } from './messaging-spans.ts';
import { startDeliverClientSpan, startDeliverServerSpan, splitAddress } from './rpc-spans.ts';
import { recordCommandStatus, recordError, recordFailure } from './status-spans.ts';
import { parentSpanIdOf, useTestTracing } from './testing.ts';
import { tracerFor } from './tracer.ts';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const tracer = tracerFor('@smsgw/test');
const tracing = useTestTracing();

describe('messaging spans', () => {
  it('names process and publish spans after the subject template, with the messaging attributes', () => {
    const parent = extractFromFields({ traceparent: TRACEPARENT, tracestate: '' });
    const process = startProcessSpan(tracer, {
      subject: 'sms.submit.acme',
      template: SubjectTemplate.submit,
      parent,
      consumer: 'router',
      stream: 'SMS_SUBMIT',
      deliveryCount: 2,
      bodySize: 120,
    });
    const publish = startPublishSpan(tracer, {
      subject: 'sms.route.sim.2',
      parent: trace.setSpan(parent, process),
      messageId: 'm1',
    });
    publish.end();
    process.end();
    const [published, processed] = tracing.spans();
    expect(processed).toMatchObject({
      name: 'process sms.submit.{account}',
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'nats',
        'messaging.system.name': 'nats',
        'messaging.destination.name': 'sms.submit.acme',
        'messaging.destination.template': 'sms.submit.{account}',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.consumer.group.name': 'router',
        'messaging.nats.stream': 'SMS_SUBMIT',
        'messaging.nats.delivery_count': 2,
        'messaging.message.body.size': 120,
      },
    });
    expect(processed?.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(processed && parentSpanIdOf(processed)).toBe('00f067aa0ba902b7');
    expect(published).toMatchObject({
      name: 'publish sms.route.sim.2',
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.destination.name': 'sms.route.sim.2',
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'publish',
        'messaging.message.id': 'm1',
      },
    });
    expect(published && parentSpanIdOf(published)).toBe(processed?.spanContext().spanId);
  });

  it('asks the SDK for no child of a sampled-out local span: the child is the parent, not recorded', () => {
    const unsampled = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 0,
    };
    const local = trace.setSpan(context.active(), trace.wrapSpanContext(unsampled));
    const child = startPublishSpan(tracer, { subject: 'sms.route.sim.0', parent: local });
    expect(child.isRecording()).toBe(false);
    expect(child.spanContext()).toEqual(unsampled);
    // A remote parent is the SDK's to decide on (here parent-based: not recorded, but a span of its own).
    const remote = trace.setSpan(context.active(), trace.wrapSpanContext({ ...unsampled, isRemote: true }));
    const processed = startPublishSpan(tracer, { subject: 'sms.route.sim.0', parent: remote });
    expect(processed.isRecording()).toBe(false);
    expect(processed.spanContext().spanId).not.toBe(unsampled.spanId);
    child.end();
    processed.end();
    expect(tracing.spans()).toEqual([]);
  });

  it('runs work with the span active, so that it is the parent of what starts inside', () => {
    const span = tracer.startSpan('outer');
    const inner = withSpan(context.active(), span, () => trace.getActiveSpan());
    expect(inner).toBe(span);
    span.end();
  });
});

describe('outcomes on spans', () => {
  it('records an SMPP command_status by name, failing the span for anything but ESME_ROK', () => {
    const ok = tracer.startSpan('ok');
    recordCommandStatus(ok, CommandStatus.ESME_ROK);
    ok.end();
    const refused = tracer.startSpan('refused');
    recordCommandStatus(refused, CommandStatus.ESME_RTHROTTLED);
    refused.end();
    const [okSpan, refusedSpan] = tracing.spans();
    expect(okSpan?.attributes).toMatchObject({
      'smpp.command_status': 'ESME_ROK',
      'smpp.command_status_code': 0,
    });
    expect(okSpan?.status.code).toBe(SpanStatusCode.UNSET);
    expect(refusedSpan?.attributes).toMatchObject({
      'smpp.command_status': 'ESME_RTHROTTLED',
      'error.type': 'ESME_RTHROTTLED',
    });
    expect(refusedSpan?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'ESME_RTHROTTLED' });
  });

  it('records an exception, with the command_status it carries', () => {
    const span = tracer.startSpan('deliver_sm');
    recordError(span, new GenericNackError('deliver_sm', 7, CommandStatus.ESME_RINVCMDLEN), 'rejected');
    span.end();
    const failure = tracer.startSpan('nak');
    recordFailure(failure, 'retry', 'envelope read failed');
    failure.end();
    const [recorded, failed] = tracing.spans();
    expect(recorded?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'rejected' });
    expect(recorded?.attributes).toMatchObject({
      'error.type': 'GenericNackError',
      'smpp.command_status': 'ESME_RINVCMDLEN',
    });
    expect(recorded?.events.map((e) => e.name)).toEqual(['exception']);
    expect(failed?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'envelope read failed' });
    expect(failed?.attributes['error.type']).toBe('retry');
  });
});

describe('EdgeDelivery spans', () => {
  it('follows the RPC conventions on both sides', () => {
    const client = startDeliverClientSpan(tracer, context.active(), '10.0.0.7:9091');
    const server = startDeliverServerSpan(tracer, trace.setSpan(context.active(), client));
    server.end();
    client.end();
    const [serverSpan, clientSpan] = tracing.spans();
    expect(clientSpan).toMatchObject({
      name: 'smsgw.v1.EdgeDelivery/Deliver',
      kind: SpanKind.CLIENT,
      attributes: {
        'rpc.system.name': 'grpc',
        'rpc.method': 'smsgw.v1.EdgeDelivery/Deliver',
        'server.address': '10.0.0.7',
        'server.port': 9091,
      },
    });
    expect(serverSpan).toMatchObject({ name: 'smsgw.v1.EdgeDelivery/Deliver', kind: SpanKind.SERVER });
    expect(serverSpan && parentSpanIdOf(serverSpan)).toBe(clientSpan?.spanContext().spanId);
  });

  it('splits host:port addresses', () => {
    expect(splitAddress('edge-0.edge:9091')).toEqual({ host: 'edge-0.edge', port: 9091 });
    expect(splitAddress('[::1]:9091')).toEqual({ host: '::1', port: 9091 });
    expect(splitAddress('edge-0')).toEqual({ host: 'edge-0', port: undefined });
  });
});
