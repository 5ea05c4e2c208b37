// The EdgeDelivery service, ready for grpc-js: the edge serves it, the dlr-dispatcher calls it.
import { Metadata } from '@grpc/grpc-js';
import { DeliverOutcome, EdgeDelivery } from './gen/smsgw/v1/edge_delivery_pb.ts';
import { makeGrpcClientConstructor } from './grpc/client.ts';
import type { GrpcClient } from './grpc/client.ts';
import type { GrpcServiceImplementation } from './grpc/server.ts';
import { grpcServiceDefinition } from './grpc/service-definition.ts';

/** The grpc-js service definition of smsgw.v1.EdgeDelivery (for `server.addService`). */
export const edgeDeliveryDefinition = grpcServiceDefinition(EdgeDelivery);

/** The typed grpc-js client class of EdgeDelivery: `new EdgeDeliveryClient(address, credentials)`. */
export const EdgeDeliveryClient = makeGrpcClientConstructor(EdgeDelivery);

/** A client of EdgeDelivery: `client.deliver(metadata)` opens the bidirectional stream. */
export type EdgeDeliveryClient = GrpcClient<typeof EdgeDelivery>;

/** The edge's implementation of EdgeDelivery: `{ deliver(call) { ... } }`. */
export type EdgeDeliveryImplementation = GrpcServiceImplementation<typeof EdgeDelivery>;

/**
 * The metadata key by which each side of a Deliver stream says it reads batches (edge_delivery.proto): the
 * dispatcher in its request metadata (it reads DeliverBatch), the edge in its response metadata (it reads
 * DeliverRequest.batch).
 */
export const DELIVER_BATCH_METADATA_KEY = 'smsgw-deliver-batch';

/** Metadata announcing that this side of a Deliver stream reads batches. */
export function deliverBatchMetadata(): Metadata {
  const metadata = new Metadata();
  metadata.set(DELIVER_BATCH_METADATA_KEY, '1');
  return metadata;
}

/** Whether the peer's metadata announces that it reads batches. */
export function readsDeliverBatches(metadata: Metadata): boolean {
  return metadata.get(DELIVER_BATCH_METADATA_KEY).some((value) => value === '1');
}

const OUTCOME_LABELS: Readonly<Record<DeliverOutcome, string>> = {
  [DeliverOutcome.UNSPECIFIED]: 'unspecified',
  [DeliverOutcome.DELIVERED]: 'delivered',
  [DeliverOutcome.REJECTED]: 'rejected',
  [DeliverOutcome.NO_RECEIVER]: 'no_receiver',
  [DeliverOutcome.TIMEOUT]: 'timeout',
  [DeliverOutcome.SHUTTING_DOWN]: 'shutting_down',
};

/** The snake_case name of a DeliverOutcome, for metric labels and logs (`no_receiver`). */
export function deliverOutcomeLabel(outcome: DeliverOutcome): string {
  return OUTCOME_LABELS[outcome] ?? 'unspecified';
}
