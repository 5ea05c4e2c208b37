// Typed grpc-js server implementations for protobuf-es services.
import type {
  Server,
  handleBidiStreamingCall,
  handleClientStreamingCall,
  handleServerStreamingCall,
  handleUnaryCall,
} from '@grpc/grpc-js';
import type { DescMethod, DescService } from '@bufbuild/protobuf';
import { grpcServiceDefinition } from './service-definition.ts';
import type { MethodInput, MethodOutput } from './service-definition.ts';

/** The server handler for one rpc, picked by its method kind. */
export type GrpcHandler<M extends DescMethod> = HandlerOfKind<
  M['methodKind'],
  MethodInput<M>,
  MethodOutput<M>
>;

// Distributes over a union of kinds: an rpc of an untyped DescService gets the union of the four shapes.
type HandlerOfKind<K extends DescMethod['methodKind'], I, O> = K extends 'unary'
  ? handleUnaryCall<I, O>
  : K extends 'server_streaming'
    ? handleServerStreamingCall<I, O>
    : K extends 'client_streaming'
      ? handleClientStreamingCall<I, O>
      : handleBidiStreamingCall<I, O>;

/** A server implementation of a service: one handler per rpc, named by its `localName`. */
export type GrpcServiceImplementation<S extends DescService> = {
  [K in keyof S['method']]: GrpcHandler<S['method'][K]>;
};

/** Adds a typed implementation of a protobuf-es service to a grpc-js server. */
export function addGrpcService<S extends DescService>(
  server: Server,
  service: S,
  implementation: GrpcServiceImplementation<S>,
): void {
  server.addService(grpcServiceDefinition(service), implementation);
}
