// The EdgeDelivery service, ready for grpc-js: the edge serves it, the dlr-dispatcher calls it.
import { EdgeDelivery } from './gen/smsgw/v1/edge_delivery_pb.ts';
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
