// Test support: a real grpc-js server on a random loopback port, insecure credentials.
import { Server, ServerCredentials } from '@grpc/grpc-js';

/** A started test server and its address. */
export interface TestServer {
  readonly server: Server;
  /** `127.0.0.1:<port>`, for a client constructor. */
  readonly address: string;
}

/** Starts a grpc-js server on 127.0.0.1 with a random port, after `setup` added its services. */
export async function startTestServer(setup: (server: Server) => void): Promise<TestServer> {
  const server = new Server();
  setup(server);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, boundPort) => {
      if (error) reject(error);
      else resolve(boundPort);
    });
  });
  return { server, address: `127.0.0.1:${port}` };
}
