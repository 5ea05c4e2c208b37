// The adapter for all four rpc kinds, over a real grpc-js server. smsgw.v1 has one bidi rpc only, so this
// test builds a service with one rpc of each kind at run time, on the generated Address message.
import { create, createFileRegistry } from '@bufbuild/protobuf';
import type { DescService } from '@bufbuild/protobuf';
import type { GenService } from '@bufbuild/protobuf/codegenv2';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { credentials, status } from '@grpc/grpc-js';
import type {
  ClientDuplexStream,
  ClientReadableStream,
  ClientUnaryCall,
  ClientWritableStream,
  ServiceError,
  handleBidiStreamingCall,
  handleClientStreamingCall,
  handleServerStreamingCall,
  handleUnaryCall,
} from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { AddressSchema, file_smsgw_v1_address } from '../index.ts';
import type { Address } from '../index.ts';
import { makeGrpcClientConstructor } from './client.ts';
import type { GrpcClient } from './client.ts';
import { addGrpcService } from './server.ts';
import type { GrpcServiceImplementation } from './server.ts';
import { grpcServiceDefinition } from './service-definition.ts';
import { startTestServer } from './test-server.ts';
import type { TestServer } from './test-server.ts';

type AddressRpc<K extends DescService['methods'][number]['methodKind']> = {
  methodKind: K;
  input: typeof AddressSchema;
  output: typeof AddressSchema;
};

// What protoc-gen-es would generate for this service.
type Echo = GenService<{
  unary: AddressRpc<'unary'>;
  serverStream: AddressRpc<'server_streaming'>;
  clientStream: AddressRpc<'client_streaming'>;
  bidi: AddressRpc<'bidi_streaming'>;
}>;

const address = '.smsgw.v1.Address';
const registry = createFileRegistry(
  create(FileDescriptorProtoSchema, {
    name: 'smsgw/test/echo.proto',
    package: 'smsgw.test',
    dependency: ['smsgw/v1/address.proto'],
    syntax: 'proto3',
    service: [
      {
        name: 'Echo',
        method: [
          { name: 'Unary', inputType: address, outputType: address },
          { name: 'ServerStream', inputType: address, outputType: address, serverStreaming: true },
          { name: 'ClientStream', inputType: address, outputType: address, clientStreaming: true },
          {
            name: 'Bidi',
            inputType: address,
            outputType: address,
            clientStreaming: true,
            serverStreaming: true,
          },
        ],
      },
    ],
  }),
  (name) => (name === 'smsgw/v1/address.proto' ? file_smsgw_v1_address : undefined),
);
const Echo = registry.getService('smsgw.test.Echo') as unknown as Echo;

const addr = (text: string, ton = 1): Address => create(AddressSchema, { ton, npi: 1, addr: text });

const echo: GrpcServiceImplementation<Echo> = {
  unary(call, callback) {
    if (call.request.addr === '') {
      callback({ code: status.INVALID_ARGUMENT, details: 'addr is empty' });
      return;
    }
    callback(null, addr(call.request.addr.toUpperCase()));
  },
  serverStream(call) {
    for (let ton = 0; ton < 3; ton++) call.write(addr(call.request.addr, ton));
    call.end();
  },
  clientStream(call, callback) {
    const parts: string[] = [];
    call.on('data', (part: Address) => parts.push(part.addr));
    call.on('end', () => {
      callback(null, addr(parts.join('+')));
    });
  },
  bidi(call) {
    call.on('data', (part: Address) => call.write(addr(`${part.addr}!`)));
    call.on('end', () => call.end());
  },
};

const EchoClient = makeGrpcClientConstructor(Echo);

describe('grpc-js adapter, all four method kinds', () => {
  let echoServer: TestServer;
  let client: GrpcClient<Echo>;

  beforeAll(async () => {
    echoServer = await startTestServer((server) => {
      addGrpcService(server, Echo, echo);
    });
    client = new EchoClient(echoServer.address, credentials.createInsecure());
  });

  afterAll(() => {
    client.close();
    echoServer.server.forceShutdown();
  });

  it('derives paths and streaming flags from the method kinds', () => {
    const definition = grpcServiceDefinition(Echo);
    expect(
      Object.entries(definition).map(([name, m]) => [name, m.path, m.requestStream, m.responseStream]),
    ).toEqual([
      ['unary', '/smsgw.test.Echo/Unary', false, false],
      ['serverStream', '/smsgw.test.Echo/ServerStream', false, true],
      ['clientStream', '/smsgw.test.Echo/ClientStream', true, false],
      ['bidi', '/smsgw.test.Echo/Bidi', true, true],
    ]);
    expect(EchoClient.serviceName).toBe('smsgw.test.Echo');
  });

  it('types client methods and server handlers by their kind', () => {
    type C = GrpcClient<Echo>;
    expectTypeOf<C['unary']>().parameter(0).toEqualTypeOf<Address>();
    expectTypeOf<C['unary']>().returns.toEqualTypeOf<ClientUnaryCall>();
    expectTypeOf<C['serverStream']>().returns.toEqualTypeOf<ClientReadableStream<Address>>();
    expectTypeOf<C['clientStream']>().returns.toEqualTypeOf<ClientWritableStream<Address>>();
    expectTypeOf<C['bidi']>().returns.toEqualTypeOf<ClientDuplexStream<Address, Address>>();
    type S = GrpcServiceImplementation<Echo>;
    expectTypeOf<S['unary']>().toEqualTypeOf<handleUnaryCall<Address, Address>>();
    expectTypeOf<S['serverStream']>().toEqualTypeOf<handleServerStreamingCall<Address, Address>>();
    expectTypeOf<S['clientStream']>().toEqualTypeOf<handleClientStreamingCall<Address, Address>>();
    expectTypeOf<S['bidi']>().toEqualTypeOf<handleBidiStreamingCall<Address, Address>>();
  });

  it('unary: one request, one response, errors as a status', async () => {
    const call = (request: Address) =>
      new Promise<Address>((resolve, reject) => {
        client.unary(request, (error: ServiceError | null, response?: Address) => {
          if (error) reject(error);
          else if (response) resolve(response);
        });
      });
    expect((await call(addr('examplecoo'))).addr).toBe('EXAMPLECOO');
    await expect(call(addr(''))).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: 'addr is empty',
    });
  });

  it('server streaming: one request, a stream of responses', async () => {
    const tons: number[] = [];
    for await (const response of client.serverStream(addr('4512345678')))
      tons.push((response as Address).ton);
    expect(tons).toEqual([0, 1, 2]);
  });

  it('client streaming: a stream of requests, one response', async () => {
    const joined = await new Promise<string>((resolve, reject) => {
      const call = client.clientStream((error, response) => {
        if (error) reject(error);
        else resolve(response?.addr ?? '');
      });
      for (const part of ['a', 'b', 'c']) call.write(addr(part));
      call.end();
    });
    expect(joined).toBe('a+b+c');
  });

  it('bidi streaming: requests and responses interleaved', async () => {
    const call = client.bidi();
    call.write(addr('x'));
    call.write(addr('y'));
    call.end();
    const out: string[] = [];
    for await (const response of call) out.push((response as Address).addr);
    expect(out).toEqual(['x!', 'y!']);
  });
});
