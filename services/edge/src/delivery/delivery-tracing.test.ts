// The EdgeDelivery server's spans for reports it cannot deliver (the delivered case is in
// test/tracing-pipeline.test.ts): a server span failed with the outcome, no deliver_sm span.
import { create } from '@bufbuild/protobuf';
import { credentials } from '@grpc/grpc-js';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  DeliverRequestSchema,
  DeliveryReportSchema,
  EdgeDeliveryClient,
  MessageState,
  type DeliverResponse,
} from '@smsgw/proto';
import { createMetrics } from '@smsgw/runtime';
import { injectIntoFields, tracerFor } from '@smsgw/telemetry';
import { parentSpanIdOf, startTestTracing, type TestTracing } from '@smsgw/telemetry/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDeliveryMetrics } from './delivery-metrics.ts';
import { DeliveryServer } from './delivery-server.ts';
import { testLogger } from '../edge.test-support.ts';

let tracing: TestTracing;
let server: DeliveryServer;
let client: EdgeDeliveryClient;

beforeAll(async () => {
  tracing = startTestTracing();
  server = new DeliveryServer({
    receivers: { boundSessionsOf: () => [] },
    metrics: createDeliveryMetrics(createMetrics({ service: 'edge', defaultMetrics: false })),
    logger: testLogger(),
    responseTimeoutMs: 1_000,
  });
  const port = await server.listen(0, '127.0.0.1');
  client = new EdgeDeliveryClient(`127.0.0.1:${String(port)}`, credentials.createInsecure());
});

afterAll(async () => {
  client.close();
  server.close();
  await tracing.stop();
});

it('continues the trace the report carries, and fails the span when nobody can receive it', async () => {
  const dispatcherSpan = tracerFor('@smsgw/dlr-dispatcher').startSpan('smsgw.v1.EdgeDelivery/Deliver');
  const report = create(DeliveryReportSchema, {
    reportId: 'm-1:2',
    systemId: 'nobody',
    messageId: 'm-1',
    receiptedMessageId: 'm-1',
    messageState: MessageState.DELIVERED,
  });
  injectIntoFields(trace.setSpan(ROOT_CONTEXT, dispatcherSpan), report);
  const call = client.deliver();
  const answered = new Promise<DeliverResponse>((resolve, reject) => {
    call.on('data', resolve);
    call.on('error', reject);
  });
  call.write(create(DeliverRequestSchema, { deliveryId: 1n, report }));
  await answered;
  call.end();
  dispatcherSpan.end();
  const edgeSpans = tracing.spans().filter((s) => s.instrumentationScope.name === '@smsgw/edge');
  expect(edgeSpans).toHaveLength(1);
  expect(edgeSpans[0]).toMatchObject({
    name: 'smsgw.v1.EdgeDelivery/Deliver',
    kind: SpanKind.SERVER,
    status: { code: SpanStatusCode.ERROR, message: 'not delivered: no_receiver' },
    attributes: {
      'rpc.system.name': 'grpc',
      'smpp.system_id': 'nobody',
      'smpp.message_id': 'm-1',
      'smpp.message_state': 'DELIVERED',
      'smsgw.outcome': 'no_receiver',
    },
  });
  const [edgeSpan] = edgeSpans;
  expect(edgeSpan && parentSpanIdOf(edgeSpan)).toBe(dispatcherSpan.spanContext().spanId);
  expect(edgeSpan?.spanContext().traceId).toBe(dispatcherSpan.spanContext().traceId);
});
