import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { CommandStatus, createPdu } from '@smsgw/smpp';
import { parentSpanIdOf, useTestTracing } from '@smsgw/telemetry/testing';
import { describe, expect, it } from 'vitest';
import { SubmitTracing } from './submit-tracing.ts';

const pdu = createPdu('submit_sm', {
  sequenceNumber: 9,
  destinationAddr: '4512345670',
  dataCoding: 8,
  registeredDelivery: 1,
});
const info = {
  pdu,
  systemId: 'acme',
  sessionId: 's3',
  messageId: 'm-9',
  segments: 2,
  subject: 'sms.submit.acme',
};

const tracing = useTestTracing();

describe('SubmitTracing', () => {
  it('is off unless an SDK records spans in this process', () => {
    expect(new SubmitTracing(false).enabled).toBe(false);
    expect(new SubmitTracing().enabled).toBe(true);
  });

  it('makes the submit_sm span and its publish span, whose context the submit carries', () => {
    const trace = new SubmitTracing(true).start(info);
    trace.end(CommandStatus.ESME_ROK);
    const [publish, submit] = tracing.spans();
    expect(submit).toMatchObject({
      name: 'submit_sm',
      kind: SpanKind.SERVER,
      attributes: {
        'smpp.command': 'submit_sm',
        'smpp.system_id': 'acme',
        'smpp.session_id': 's3',
        'smpp.sequence_number': 9,
        'smpp.message_id': 'm-9',
        'smpp.data_coding': 8,
        'smpp.segments': 2,
        'smpp.command_status': 'ESME_ROK',
      },
    });
    expect(submit && parentSpanIdOf(submit)).toBe('');
    expect(publish).toMatchObject({ name: 'publish sms.submit.{account}', kind: SpanKind.PRODUCER });
    expect(publish && parentSpanIdOf(publish)).toBe(submit?.spanContext().spanId);
    expect(trace.traceparent).toBe(
      `00-${String(publish?.spanContext().traceId)}-${String(publish?.spanContext().spanId)}-01`,
    );
    expect(trace.tracestate).toBe('');
  });

  it('fails both spans when the publish failed, naming the command_status answered', () => {
    new SubmitTracing(true).start(info).end(CommandStatus.ESME_RMSGQFUL, new Error('PubAck timeout'));
    const [publish, submit] = tracing.spans();
    expect(publish?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'PubAck timeout' });
    expect(submit?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'ESME_RMSGQFUL' });
    expect(submit?.attributes['smpp.command_status']).toBe('ESME_RMSGQFUL');
  });

  it('records a refused submit as one failed span', () => {
    new SubmitTracing(true).refused(pdu, 'acme', 's3', CommandStatus.ESME_RTHROTTLED);
    const spans = tracing.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({
      name: 'submit_sm',
      status: { code: SpanStatusCode.ERROR, message: 'ESME_RTHROTTLED' },
      attributes: { 'smpp.system_id': 'acme', 'smpp.sequence_number': 9, 'error.type': 'ESME_RTHROTTLED' },
    });
  });
});
