import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import {
  DeliverRequestSchema,
  DeliverResponseSchema,
  EdgeDelivery,
  MessageState,
  edgeDeliveryDefinition,
} from '../index.ts';
import { grpcServiceDefinition } from './service-definition.ts';

describe('grpcServiceDefinition', () => {
  const definition = grpcServiceDefinition(EdgeDelivery);

  it('maps EdgeDelivery.Deliver to its gRPC path and a bidirectional stream', () => {
    expect(Object.keys(definition)).toEqual(['deliver']);
    expect(definition.deliver.path).toBe('/smsgw.v1.EdgeDelivery/Deliver');
    expect(definition.deliver.requestStream).toBe(true);
    expect(definition.deliver.responseStream).toBe(true);
    expect(edgeDeliveryDefinition.deliver.path).toBe(definition.deliver.path);
  });

  it('serializes requests and responses with the generated schemas', () => {
    const request = create(DeliverRequestSchema, {
      deliveryId: 42n,
      report: { messageId: '1390125333', messageState: MessageState.DELIVERED },
    });
    const bytes = definition.deliver.requestSerialize(request);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(definition.deliver.requestDeserialize(bytes)).toEqual(request);

    const response = create(DeliverResponseSchema, {
      kind: { case: 'credit', value: { systemId: 'acme', freeWindow: 5 } },
    });
    expect(definition.deliver.responseDeserialize(definition.deliver.responseSerialize(response))).toEqual(
      response,
    );
  });

  it('throws on bytes that are not a message (grpc-js turns that into status INTERNAL)', () => {
    // 0x0f: field 1 with wire type 7, which does not exist.
    expect(() => definition.deliver.requestDeserialize(Buffer.from([0x0f]))).toThrow(Error);
    // A length-delimited report (field 2) that claims more bytes than there are.
    expect(() => definition.deliver.requestDeserialize(Buffer.from([0x12, 0x7f, 0x00]))).toThrow(Error);
    expect(() => definition.deliver.responseDeserialize(Buffer.from([0x0a, 0x05]))).toThrow(Error);
  });

  it('decodes an empty message to all defaults', () => {
    expect(definition.deliver.requestDeserialize(Buffer.alloc(0))).toEqual(create(DeliverRequestSchema));
  });
});
