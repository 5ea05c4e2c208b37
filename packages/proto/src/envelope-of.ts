import { create } from '@bufbuild/protobuf';
import { MessageEnvelopeSchema, type MessageEnvelope } from './gen/smsgw/v1/message_envelope_pb.ts';
import type { SubmitAccepted } from './gen/smsgw/v1/submit_accepted_pb.ts';

/**
 * The envelope of an accepted submit: what its delivery report is built from
 * (docs/architecture.md, "A message's life"), with the effective priority
 * the router chose. The trace fields are the submit's; a caller that wants
 * the report to join a later span overwrites them.
 */
export function envelopeOf(submit: SubmitAccepted, priority: number): MessageEnvelope {
  return create(MessageEnvelopeSchema, {
    messageId: submit.messageId,
    systemId: submit.systemId,
    ...(submit.source === undefined ? {} : { source: submit.source }),
    ...(submit.destination === undefined ? {} : { destination: submit.destination }),
    registeredDelivery: submit.registeredDelivery,
    ...(submit.userMessageReference === undefined
      ? {}
      : { userMessageReference: submit.userMessageReference }),
    ...(submit.acceptedAt === undefined ? {} : { submittedAt: submit.acceptedAt }),
    dataCoding: submit.dataCoding,
    segments: submit.segments,
    traceparent: submit.traceparent,
    tracestate: submit.tracestate,
    priorityFlag: priority,
  });
}
