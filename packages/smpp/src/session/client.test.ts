import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectSmpp } from './client.ts';
import { ConnectTimeoutError } from './session-errors.ts';
import { disposeAll, onDispose, startServer } from './session-kit.test-support.ts';
import { selfSignedCertificate } from './tls-certs.test-support.ts';

afterEach(disposeAll);

/** A TCP listener that accepts and never says a word (a TLS handshake never completes). */
async function silentServer(): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onDispose(
    () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(resolve);
      }),
  );
  return (server.address() as net.AddressInfo).port;
}

describe('connectSmpp', () => {
  it('resolves with an OPEN client session', async () => {
    const { port } = await startServer();
    const session = await connectSmpp({ host: '127.0.0.1', port, windowSize: 7 });
    onDispose(() => {
      session.close();
    });
    expect(session.role).toBe('client');
    expect(session.state).toBe('open');
    expect(session.options.windowSize).toBe(7);
    expect(session.options.bindTimeout).toBe(0);
  });

  it('rejects with the socket error when nobody listens', async () => {
    const { server, port } = await startServer();
    await new Promise((resolve) => server.server.close(resolve));
    await expect(connectSmpp({ host: '127.0.0.1', port })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('rejects with ConnectTimeoutError when the TLS handshake never completes', async () => {
    const port = await silentServer();
    const error = await connectSmpp({ host: '127.0.0.1', port, tls: {}, connectTimeout: 50 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectTimeoutError);
  });

  it('rejects an untrusted TLS certificate', async () => {
    const { port } = await startServer({ tls: selfSignedCertificate() });
    await expect(connectSmpp({ host: '127.0.0.1', port, tls: {} })).rejects.toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
  });
});
