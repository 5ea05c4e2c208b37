// Typed grpc-js clients for protobuf-es services: grpc.makeGenericClientConstructor does the work, these
// types say which of grpc-js's four call shapes each rpc has and which messages go in and out.
import { makeGenericClientConstructor } from '@grpc/grpc-js';
import type {
  CallOptions,
  ChannelCredentials,
  Client,
  ClientDuplexStream,
  ClientOptions,
  ClientReadableStream,
  ClientUnaryCall,
  ClientWritableStream,
  Metadata,
  requestCallback,
} from '@grpc/grpc-js';
import type { DescMethod, DescService } from '@bufbuild/protobuf';
import { grpcServiceDefinition } from './service-definition.ts';
import type { MethodInput, MethodOutput } from './service-definition.ts';

/** A unary rpc on a client: one request, a callback with the one response. */
export interface UnaryClientMethod<I, O> {
  (
    request: I,
    metadata: Metadata,
    options: Partial<CallOptions>,
    callback: requestCallback<O>,
  ): ClientUnaryCall;
  (
    request: I,
    metadataOrOptions: Metadata | Partial<CallOptions>,
    callback: requestCallback<O>,
  ): ClientUnaryCall;
  (request: I, callback: requestCallback<O>): ClientUnaryCall;
}

/** A server-streaming rpc on a client: one request, a readable stream of responses. */
export interface ServerStreamingClientMethod<I, O> {
  (request: I, metadata?: Metadata, options?: Partial<CallOptions>): ClientReadableStream<O>;
  (request: I, options?: Partial<CallOptions>): ClientReadableStream<O>;
}

/** A client-streaming rpc on a client: a writable stream of requests, a callback with the one response. */
export interface ClientStreamingClientMethod<I, O> {
  (metadata: Metadata, options: Partial<CallOptions>, callback: requestCallback<O>): ClientWritableStream<I>;
  (metadataOrOptions: Metadata | Partial<CallOptions>, callback: requestCallback<O>): ClientWritableStream<I>;
  (callback: requestCallback<O>): ClientWritableStream<I>;
}

/** A bidirectional-streaming rpc on a client: a duplex stream, requests in, responses out. */
export interface BidiStreamingClientMethod<I, O> {
  (metadata?: Metadata, options?: Partial<CallOptions>): ClientDuplexStream<I, O>;
  (options?: Partial<CallOptions>): ClientDuplexStream<I, O>;
}

/** The client method for one rpc, picked by its method kind. */
export type GrpcClientMethod<M extends DescMethod> = ClientMethodOfKind<
  M['methodKind'],
  MethodInput<M>,
  MethodOutput<M>
>;

// Distributes over a union of kinds: an rpc of an untyped DescService gets the union of the four shapes.
type ClientMethodOfKind<K extends DescMethod['methodKind'], I, O> = K extends 'unary'
  ? UnaryClientMethod<I, O>
  : K extends 'server_streaming'
    ? ServerStreamingClientMethod<I, O>
    : K extends 'client_streaming'
      ? ClientStreamingClientMethod<I, O>
      : BidiStreamingClientMethod<I, O>;

/** A grpc-js client of a service: a grpc.Client with one method per rpc, named by its `localName`. */
export type GrpcClient<S extends DescService> = Client & {
  readonly [K in keyof S['method']]: GrpcClientMethod<S['method'][K]>;
};

/** The constructor of a typed client; its arguments are grpc.Client's. */
export interface GrpcClientConstructor<S extends DescService> {
  new (address: string, credentials: ChannelCredentials, options?: ClientOptions): GrpcClient<S>;
  /** The fully qualified service name, e.g. `smsgw.v1.EdgeDelivery`. */
  readonly serviceName: string;
}

/** Makes a typed grpc-js client class for a protobuf-es service (once per service, at module level). */
export function makeGrpcClientConstructor<S extends DescService>(service: S): GrpcClientConstructor<S> {
  const ctor = makeGenericClientConstructor(grpcServiceDefinition(service), service.typeName);
  // grpc-js types the generated methods as `Function`; the definition above fixes their real shapes.
  return ctor as unknown as GrpcClientConstructor<S>;
}
