// Test support for the dispatcher's tests: envelopes, status events, metrics and a capturing logger.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  MessageEnvelopeSchema,
  MessageState,
  StatusEventSchema,
  type MessageEnvelope,
  type StatusEvent,
} from '@smsgw/proto';
import { createMetrics } from '@smsgw/runtime';
import { captureLogger as captureTestLogger, TRACEPARENT, type CapturedLogger } from '@smsgw/testing';
import { createDispatcherMetrics, type DispatcherMetrics } from './metrics.ts';

export { TRACEPARENT, waitFor, type LogLine } from '@smsgw/testing';

/** The envelope the router would store for a submit of `messageId`; override any field. */
export function makeEnvelope(
  messageId: string,
  overrides: Partial<Omit<MessageEnvelope, '$typeName'>> = {},
): MessageEnvelope {
  return create(MessageEnvelopeSchema, {
    messageId,
    systemId: 'acme',
    source: { ton: 5, npi: 0, addr: 'ExampleCo' },
    destination: { ton: 1, npi: 1, addr: '4512345678' },
    registeredDelivery: 1,
    submittedAt: timestampFromDate(new Date('2020-11-18T10:54:30Z')),
    dataCoding: 0,
    segments: 1,
    traceparent: TRACEPARENT,
    ...overrides,
  });
}

/** A status event as a connector would publish it; override any field. */
export function makeStatus(
  messageId: string,
  overrides: Partial<Omit<StatusEvent, '$typeName'>> = {},
): StatusEvent {
  return create(StatusEventSchema, {
    messageId,
    systemId: 'acme',
    messageState: MessageState.DELIVERED,
    doneAt: timestampFromDate(new Date('2020-11-18T10:55:10Z')),
    connector: 'sim',
    ...overrides,
  });
}

/** Dispatcher metrics in a registry of their own (no process metrics). */
export function testMetrics(): DispatcherMetrics {
  return createDispatcherMetrics(createMetrics({ service: 'dlr-dispatcher-test', defaultMetrics: false }));
}

/** A debug-level logger that keeps its lines in memory. */
export function captureLogger(): CapturedLogger {
  return captureTestLogger({ service: 'dlr-dispatcher-test' });
}
