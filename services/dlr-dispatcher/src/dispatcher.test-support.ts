// Test support for the dispatcher's tests: envelopes, status events, metrics, a capturing logger and a test edge.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Server, ServerCredentials, type ServerDuplexStream } from '@grpc/grpc-js';
import {
  MessageEnvelopeSchema,
  MessageState,
  StatusEventSchema,
  edgeDeliveryDefinition,
  type DeliverRequest,
  type DeliverResponse,
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

/** A real EdgeDelivery gRPC server on a free loopback port, serving every Deliver stream with `deliver`. */
export async function startTestEdge(
  deliver: (call: ServerDuplexStream<DeliverRequest, DeliverResponse>) => void,
): Promise<{ readonly server: Server; readonly address: string }> {
  const server = new Server();
  server.addService(edgeDeliveryDefinition, { deliver });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => {
      if (error) reject(error);
      else resolve(bound);
    });
  });
  return { server, address: `127.0.0.1:${String(port)}` };
}
