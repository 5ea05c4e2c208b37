/** Free TCP ports on 127.0.0.1 for child processes, and a wait for their listeners. */
import { once } from 'node:events';
import { connect, createServer, type AddressInfo } from 'node:net';

/** A port that was free a moment ago (a throw-away listener picks it and closes again). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `count` distinct free ports (distinct among themselves, not only free one at a time). */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** Resolves once a TCP connection to 127.0.0.1:`port` succeeds (closing it at once); throws after `timeoutMs`. */
export async function waitForListener(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const socket = connect(port, '127.0.0.1');
    // once() rejects on an 'error' event: a refused connection is an answer here, not a failure.
    const connected = await once(socket, 'connect').then(
      () => true,
      () => false,
    );
    socket.destroy();
    if (connected) return;
    if (Date.now() >= deadline) throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
