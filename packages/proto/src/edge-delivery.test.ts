import { create } from '@bufbuild/protobuf';
import { Client, Metadata, credentials, status } from '@grpc/grpc-js';
import type { ServiceError, StatusObject } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DeliverOutcome,
  DeliverRequestSchema,
  DeliverResponseSchema,
  EdgeDelivery,
  EdgeDeliveryClient,
  MessageState,
  addGrpcService,
  deliverOutcomeLabel,
  edgeDeliveryDefinition,
} from './index.ts';
import type { DeliverResponse, DeliveryReport, EdgeDeliveryImplementation } from './index.ts';
import { startTestServer } from './grpc/test-server.ts';
import type { TestServer } from './grpc/test-server.ts';

const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const cancellations: string[] = [];

// A stand-in for the edge: announces a credit, answers every request with a result (DELIVERED when the
// report arrived intact), echoes call metadata back in headers and trailers.
const edge: EdgeDeliveryImplementation = {
  deliver(call) {
    const headers = new Metadata();
    headers.set('x-edge-pod', 'edge-0');
    headers.set('x-seen-traceparent', String(call.metadata.get('traceparent')[0] ?? ''));
    call.sendMetadata(headers);
    call.write(
      create(DeliverResponseSchema, {
        kind: { case: 'credit', value: { systemId: 'acme', freeWindow: 10 } },
      }),
    );
    let received = 0;
    call.on('data', (request: { deliveryId: bigint; report?: DeliveryReport }) => {
      received++;
      const intact =
        request.report?.messageId === String(request.deliveryId) &&
        request.report.messageState === MessageState.DELIVERED &&
        request.report.shortMessage.length === 100;
      call.write(
        create(DeliverResponseSchema, {
          kind: {
            case: 'result',
            value: {
              deliveryId: request.deliveryId,
              outcome: intact ? DeliverOutcome.DELIVERED : DeliverOutcome.REJECTED,
              commandStatus: intact ? 0 : 0x45,
              sessionId: 's-1',
            },
          },
        }),
      );
    });
    call.on('end', () => {
      const trailers = new Metadata();
      trailers.set('x-received', String(received));
      call.end(trailers);
    });
    // A stream that breaks (e.g. undecodable bytes from the peer) is cancelled, not an 'error' event.
    call.on('cancelled', () => cancellations.push(String(call.metadata.get('x-probe')[0] ?? '')));
  },
};

function request(deliveryId: number) {
  return create(DeliverRequestSchema, {
    deliveryId: BigInt(deliveryId),
    report: {
      reportId: `${deliveryId}:2`,
      systemId: 'acme',
      messageId: String(deliveryId),
      messageState: MessageState.DELIVERED,
      shortMessage: new Uint8Array(100).fill(0x41),
      traceparent,
    },
  });
}

async function readAll(stream: AsyncIterable<unknown>): Promise<DeliverResponse[]> {
  const responses: DeliverResponse[] = [];
  for await (const response of stream) responses.push(response as DeliverResponse);
  return responses;
}

describe('EdgeDelivery over grpc-js', () => {
  let edgeServer: TestServer;
  let client: EdgeDeliveryClient;

  beforeAll(async () => {
    edgeServer = await startTestServer((server) => {
      addGrpcService(server, EdgeDelivery, edge);
    });
    client = new EdgeDeliveryClient(edgeServer.address, credentials.createInsecure());
  });

  afterAll(() => {
    client.close();
    edgeServer.server.forceShutdown();
  });

  it('streams 1,000 DeliverRequests and gets 1,000 DeliverResults, with metadata both ways', async () => {
    const metadata = new Metadata();
    metadata.set('traceparent', traceparent);
    const call = client.deliver(metadata);
    const headers = new Promise<Metadata>((resolve) => call.once('metadata', resolve));
    const finalStatus = new Promise<StatusObject>((resolve) => call.once('status', resolve));
    const responses = readAll(call);

    for (let id = 1; id <= 1000; id++) call.write(request(id));
    call.end();

    const all = await responses;
    const results = all.flatMap((r) => (r.kind.case === 'result' ? [r.kind.value] : []));
    const credits = all.flatMap((r) => (r.kind.case === 'credit' ? [r.kind.value] : []));
    expect(credits).toHaveLength(1);
    expect(credits[0]?.systemId).toBe('acme');
    expect(credits[0]?.freeWindow).toBe(10);
    expect(results).toHaveLength(1000);
    expect(new Set(results.map((r) => r.deliveryId)).size).toBe(1000);
    expect(results.every((r) => r.outcome === DeliverOutcome.DELIVERED && r.sessionId === 's-1')).toBe(true);

    expect((await headers).get('x-edge-pod')).toEqual(['edge-0']);
    expect((await headers).get('x-seen-traceparent')).toEqual([traceparent]);
    const { code, metadata: trailers } = await finalStatus;
    expect(code).toBe(status.OK);
    expect(trailers.get('x-received')).toEqual(['1000']);
  });

  it('answers garbage request bytes with status INTERNAL and keeps serving', async () => {
    const raw = new Client(edgeServer.address, credentials.createInsecure());
    try {
      const metadata = new Metadata();
      metadata.set('x-probe', 'garbage');
      const call = raw.makeBidiStreamRequest(
        edgeDeliveryDefinition.deliver.path,
        (bytes: Buffer) => bytes,
        (bytes: Buffer) => bytes,
        metadata,
      );
      const failed = new Promise<ServiceError>((resolve) => call.once('error', resolve));
      call.on('data', () => undefined);
      // 0x0f: field 1 with wire type 7, which does not exist.
      call.write(Buffer.from([0x0f]));
      const error = await failed;
      expect(error.code).toBe(status.INTERNAL);
      expect(error.details).toMatch(/deserializ/i);
      await vi.waitFor(() => {
        expect(cancellations).toContain('garbage');
      });
    } finally {
      raw.close();
    }

    const call = client.deliver();
    const responses = readAll(call);
    for (let id = 1; id <= 10; id++) call.write(request(id));
    call.end();
    expect((await responses).filter((r) => r.kind.case === 'result')).toHaveLength(10);
  });

  it('fails a call whose response bytes are garbage with status INTERNAL on the client', async () => {
    // An edge whose serializer is broken: it writes bytes that are no DeliverResponse.
    const broken = await startTestServer((server) => {
      server.addService(
        { deliver: { ...edgeDeliveryDefinition.deliver, responseSerialize: () => Buffer.from([0x0f]) } },
        {
          deliver: (call: { write: (message: unknown) => boolean }) => {
            call.write(create(DeliverResponseSchema));
          },
        },
      );
    });
    const brokenClient = new EdgeDeliveryClient(broken.address, credentials.createInsecure());
    try {
      const call = brokenClient.deliver();
      const failed = new Promise<ServiceError>((resolve) => call.once('error', resolve));
      call.on('data', () => undefined);
      const error = await failed;
      expect(error.code).toBe(status.INTERNAL);
      expect(error.details).toMatch(/parsing/i);
    } finally {
      brokenClient.close();
      broken.server.forceShutdown();
    }
  });
});

describe('deliverOutcomeLabel', () => {
  it('names every outcome in snake_case for metric labels', () => {
    expect(
      Object.values(DeliverOutcome)
        .filter((v) => typeof v === 'number')
        .map(deliverOutcomeLabel),
    ).toEqual(['unspecified', 'delivered', 'rejected', 'no_receiver', 'timeout', 'shutting_down']);
  });
});
