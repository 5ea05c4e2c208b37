/** A wait for a child process's listener. */
import { once } from 'node:events';
import { connect } from 'node:net';

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
