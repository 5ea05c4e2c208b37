import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPdu } from '../pdu/create.ts';
import type { CloseReason } from './close-reason.ts';
import { connectSmpp } from './client.ts';
import { createSmppServer } from './server.ts';
import { acceptBinds, delay, disposeAll, onDispose, startServer } from './session-kit.test-support.ts';
import type { SmppSession } from './smpp-session.ts';
import { selfSignedCertificate, type TestCertificate } from './tls-certs.test-support.ts';

afterEach(disposeAll);

let certA: TestCertificate;
let certB: TestCertificate;
beforeAll(() => {
  certA = selfSignedCertificate();
  certB = selfSignedCertificate();
});

/** A server that accepts binds and answers submit_sm with message id "tls-1". */
function smsc(session: SmppSession): void {
  acceptBinds(session);
  session.on('request', (pdu) => {
    if (pdu.command === 'submit_sm') session.reply(pdu, 0, { messageId: 'tls-1' });
  });
}

describe('SmppServer over TLS', () => {
  it('binds and submits over TLS', async () => {
    const { server, port } = await startServer({ tls: certA }, smsc);
    expect(server.isTls).toBe(true);
    const client = await connectSmpp({ host: '127.0.0.1', port, tls: { ca: certA.cert } });
    onDispose(() => {
      client.close();
    });
    expect(client.socket).toBeInstanceOf(tls.TLSSocket);
    await client.bind('transceiver', { systemId: 'acme', password: 'pw' });
    const response = await client.request(createPdu('submit_sm', { destinationAddr: '4512345678' }));
    expect(response).toMatchObject({ command: 'submit_sm_resp', messageId: 'tls-1' });
    expect([...server.sessions][0]?.socket).toBeInstanceOf(tls.TLSSocket);
    expect((await client.unbind()).code).toBe('local-unbind');
  });

  it('verifies the host name (servername defaults to the host)', async () => {
    const { port } = await startServer({ tls: certA }, smsc);
    const client = await connectSmpp({ host: 'localhost', port, tls: { ca: certA.cert } });
    onDispose(() => {
      client.close();
    });
    await client.bind('transmitter', {});
  });

  it('rotates the certificate with setSecureContext, without a restart', async () => {
    const { server, port } = await startServer({ tls: certA }, smsc);
    const before = await connectSmpp({ host: '127.0.0.1', port, tls: { ca: certA.cert } });
    onDispose(() => {
      before.close();
    });
    server.setSecureContext(certB);
    await expect(connectSmpp({ host: '127.0.0.1', port, tls: { ca: certA.cert } })).rejects.toThrow();
    const after = await connectSmpp({ host: '127.0.0.1', port, tls: { ca: certB.cert } });
    onDispose(() => {
      after.close();
    });
    await after.bind('transceiver', {});
    // The session opened before the rotation keeps working.
    await before.bind('transceiver', {});
  });

  it('destroys connections that never finish the handshake (silent, or a lone record header)', async () => {
    const errors: string[] = [];
    const { server, port } = await startServer({ tls: certA, handshakeTimeout: 300 }, smsc);
    server.on('tlsClientError', (error) => {
      errors.push((error as NodeJS.ErrnoException).code ?? error.message);
    });
    const peers = Array.from({ length: 20 }, (_, i) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        if (i % 2 === 1) socket.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xc8]));
      });
      socket.on('error', () => undefined);
      onDispose(() => {
        socket.destroy();
      });
      return once(socket, 'close');
    });
    // Closed by the server: the test's own timeout is the only clock here.
    await Promise.all(peers);
    expect(errors).toHaveLength(20);
    expect(errors.every((code) => code === 'ERR_TLS_HANDSHAKE_TIMEOUT')).toBe(true);
    expect(server.sessions.size).toBe(0);
  });

  it('refuses setSecureContext on a plain TCP server', async () => {
    const { server } = await startServer();
    expect(server.isTls).toBe(false);
    expect(() => {
      server.setSecureContext(certA);
    }).toThrow(TypeError);
  });
});

describe('SmppServer', () => {
  it('rejects listen() on a port in use, without an uncaught error', async () => {
    const { port } = await startServer();
    const second = createSmppServer();
    await expect(second.listen(port, '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('tracks open sessions and close() unbinds them all', async () => {
    const server = createSmppServer({}, smsc);
    const { port } = await server.listen(0, '127.0.0.1');
    const clients = await Promise.all(
      [1, 2, 3].map(async () => {
        const client = await connectSmpp({ host: '127.0.0.1', port });
        await client.bind('transceiver', {});
        return client;
      }),
    );
    expect(server.sessions.size).toBe(3);
    const reasons = clients.map((c) => once(c, 'close') as Promise<[CloseReason]>);
    await server.close();
    expect(server.sessions.size).toBe(0);
    for (const [reason] of await Promise.all(reasons)) expect(reason.code).toBe('peer-unbind');
    await expect(connectSmpp({ host: '127.0.0.1', port, connectTimeout: 1000 })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it.each([false, true])('admit() refuses connections before any session (TLS: %s)', async (useTls) => {
    let admitted = 0;
    const sessions: SmppSession[] = [];
    const { port } = await startServer(
      { ...(useTls ? { tls: certA } : {}), admit: () => admitted++ < 2 },
      (session) => {
        sessions.push(session);
      },
    );
    const sockets = Array.from({ length: 5 }, () => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.on('error', () => undefined);
      onDispose(() => {
        socket.destroy();
      });
      return socket;
    });
    // The three refused ones are closed by the server; the two admitted stay open.
    const closed = await Promise.all(
      sockets.map((socket) =>
        Promise.race([once(socket, 'close').then(() => true), delay(1_000).then(() => false)]),
      ),
    );
    expect(closed.filter(Boolean)).toHaveLength(3);
    expect(sessions).toHaveLength(useTls ? 0 : 2);
  });

  it('gives each accepted session the server options', async () => {
    const { port } = await startServer({ windowSize: 3, bindTimeout: 1234 }, (session) => {
      expect(session.role).toBe('server');
      expect(session.options.windowSize).toBe(3);
      expect(session.options.bindTimeout).toBe(1234);
      session.close();
    });
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    await once(socket, 'close');
  });
});
