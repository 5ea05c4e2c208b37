import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { envelopeOf } from './envelope-of.ts';
import { SubmitAcceptedSchema } from './gen/smsgw/v1/submit_accepted_pb.ts';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('envelopeOf', () => {
  const submit = create(SubmitAcceptedSchema, {
    messageId: '1390125333',
    systemId: 'acme',
    source: { ton: 5, npi: 0, addr: 'ExampleCo' },
    destination: { ton: 1, npi: 1, addr: '4512345670' },
    priorityFlag: 3,
    registeredDelivery: 0x11,
    dataCoding: 8,
    segments: 2,
    userMessageReference: new TextEncoder().encode('order-4711'),
    acceptedAt: timestampFromDate(new Date('2026-01-02T03:04:05Z')),
    traceparent: TRACEPARENT,
    tracestate: 'vendor=abc',
  });

  it('fills the envelope from the submit, with the effective priority', () => {
    const e = envelopeOf(submit, 2);
    expect(e.messageId).toBe('1390125333');
    expect(e.systemId).toBe('acme');
    expect(e.source).toEqual(submit.source);
    expect(e.destination).toEqual(submit.destination);
    expect(e.registeredDelivery).toBe(0x11);
    expect(e.userMessageReference).toEqual(submit.userMessageReference);
    expect(e.submittedAt).toEqual(submit.acceptedAt);
    expect(e.dataCoding).toBe(8);
    expect(e.segments).toBe(2);
    expect(e.traceparent).toBe(TRACEPARENT);
    expect(e.tracestate).toBe('vendor=abc');
    expect(e.priorityFlag).toBe(2);
  });

  it('leaves absent optional fields absent', () => {
    const bare = create(SubmitAcceptedSchema, { messageId: '2', systemId: 'acme' });
    const e = envelopeOf(bare, 0);
    expect(e.userMessageReference).toBeUndefined();
    expect(e.submittedAt).toBeUndefined();
    expect(e.source).toBeUndefined();
  });
});
