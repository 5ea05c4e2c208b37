// Maps a protobuf-es service descriptor onto what @grpc/grpc-js needs to serve and call it. protobuf-es
// generates schemas only and brings no RPC transport, so this small table replaces a second .proto
// loader (@grpc/proto-loader): the messages are (de)serialized by the same generated code that every
// other part of smsgw uses.
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import type { DescMessage, DescMethod, DescService, Message, MessageShape } from '@bufbuild/protobuf';
import type { MethodDefinition } from '@grpc/grpc-js';

/** The request message type of an rpc, e.g. `DeliverRequest`. */
export type MethodInput<M extends DescMethod> = MessageShape<M['input']>;

/** The response message type of an rpc, e.g. `DeliverResponse`. */
export type MethodOutput<M extends DescMethod> = MessageShape<M['output']>;

/**
 * A grpc-js service definition for a protobuf-es service, keyed by each rpc's `localName` (`deliver`),
 * the same keys as the service descriptor's `method` record.
 */
export type GrpcServiceDefinition<S extends DescService> = {
  readonly [K in keyof S['method']]: MethodDefinition<
    MethodInput<S['method'][K]>,
    MethodOutput<S['method'][K]>
  >;
};

/** Builds the grpc-js definition of a service: paths, streaming flags and binary (de)serializers. */
export function grpcServiceDefinition<S extends DescService>(service: S): GrpcServiceDefinition<S> {
  const definition: Record<string, MethodDefinition<Message, Message>> = {};
  for (const method of service.methods) {
    definition[method.localName] = grpcMethodDefinition(method);
  }
  // Built from the same `methods` the descriptor's `method` record is keyed from, so the keys match.
  return definition as unknown as GrpcServiceDefinition<S>;
}

/** Builds the grpc-js definition of one rpc. */
export function grpcMethodDefinition<M extends DescMethod>(
  method: M,
): MethodDefinition<MethodInput<M>, MethodOutput<M>> {
  const kind = method.methodKind;
  const definition: MethodDefinition<Message, Message> = {
    // The gRPC wire path: /<package>.<Service>/<Method> (gRPC over HTTP/2, "Path").
    path: `/${method.parent.typeName}/${method.name}`,
    requestStream: kind === 'client_streaming' || kind === 'bidi_streaming',
    responseStream: kind === 'server_streaming' || kind === 'bidi_streaming',
    requestSerialize: serializer(method.input),
    requestDeserialize: deserializer(method.input),
    responseSerialize: serializer(method.output),
    responseDeserialize: deserializer(method.output),
  };
  // The (de)serializers work on exactly the method's input and output schemas.
  return definition as unknown as MethodDefinition<MethodInput<M>, MethodOutput<M>>;
}

// toBinary returns a fresh Uint8Array, so wrapping its memory in a Buffer (no copy) is safe.
function serializer(schema: DescMessage): (message: Message) => Buffer {
  return (message) => {
    const bytes = toBinary(schema, message);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

// fromBinary throws on malformed input; grpc-js turns that into status INTERNAL for the one call
// (server: "Error deserializing request", client: "Response message parsing error"). Bytes fields of
// the result are views into `bytes`, not copies; grpc-js hands every message a Buffer of its own.
function deserializer(schema: DescMessage): (bytes: Buffer) => Message {
  return (bytes) => fromBinary(schema, bytes);
}
