// The EdgeDelivery service, ready for grpc-js: the edge serves it, the dlr-dispatcher calls it.
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
