// @smsgw/proto: the smsgw.v1 messages and services (protobuf-es v2, generated from proto/ by
// `./run --filter @smsgw/proto generate`), and the adapter that serves and calls them with grpc-js.
export * from './gen/smsgw/v1/address_pb.ts';
export * from './gen/smsgw/v1/delivery_report_pb.ts';
export * from './gen/smsgw/v1/edge_delivery_pb.ts';
export * from './gen/smsgw/v1/message_envelope_pb.ts';
export * from './gen/smsgw/v1/message_state_pb.ts';
export * from './gen/smsgw/v1/mobile_originated_pb.ts';
export * from './gen/smsgw/v1/network_error_pb.ts';
export * from './gen/smsgw/v1/routed_message_pb.ts';
export * from './gen/smsgw/v1/sim_pending_pb.ts';
export * from './gen/smsgw/v1/status_event_pb.ts';
export * from './gen/smsgw/v1/submit_accepted_pb.ts';

export { envelopeOf } from './envelope-of.ts';
export { grpcMethodDefinition, grpcServiceDefinition } from './grpc/service-definition.ts';
export type { GrpcServiceDefinition, MethodInput, MethodOutput } from './grpc/service-definition.ts';
export { makeGrpcClientConstructor } from './grpc/client.ts';
export type {
  BidiStreamingClientMethod,
  ClientStreamingClientMethod,
  GrpcClient,
  GrpcClientConstructor,
  GrpcClientMethod,
  ServerStreamingClientMethod,
  UnaryClientMethod,
} from './grpc/client.ts';
export { addGrpcService } from './grpc/server.ts';
export type { GrpcHandler, GrpcServiceImplementation } from './grpc/server.ts';
export {
  DELIVER_BATCH_METADATA_KEY,
  EdgeDeliveryClient,
  deliverBatchMetadata,
  deliverOutcomeLabel,
  edgeDeliveryDefinition,
  readsDeliverBatches,
} from './edge-delivery.ts';
export type { EdgeDeliveryImplementation } from './edge-delivery.ts';
