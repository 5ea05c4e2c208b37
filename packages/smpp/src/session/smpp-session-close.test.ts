/** The unbind handshake in both directions, close(), and peers that vanish. */
import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { createPdu } from '../pdu/create.ts';
import { createResponse } from '../pdu/respond.ts';
import type { CloseReason } from './close-reason.ts';
import { connectSmpp } from './client.ts';
import { InvalidStateError, ResponseTimeoutError, SessionClosedError } from './session-errors.ts';
import {
  RawPeer,
  acceptBinds,
  connectPair,
  disposeAll,
  onDispose,
  queueRequests,
  startRawServer,
  startServer,
} from './session-kit.test-support.ts';
import type { SmppSession } from './smpp-session.ts';

afterEach(disposeAll);

const submit = () => createPdu('submit_sm', { destinationAddr: '4512345678' });

function closeOf(session: SmppSession): Promise<CloseReason> {
  return (once(session, 'close') as Promise<[CloseReason]>).then(([reason]) => reason);
}

/** A raw SMSC that accepts binds and hands every other PDU to `onPdu`. */
async function rawSmsc(
  onPdu: (peer: RawPeer, pdu: Awaited<ReturnType<RawPeer['next']>>) => void,
): Promise<number> {
  return startRawServer((peer) => {
    void (async () => {
      for (;;) {
        const pdu = await peer.next();
        if (pdu.command === 'bind_transceiver') peer.send(createResponse(pdu));
        else onPdu(peer, pdu);
      }
    })();
  });
}

describe('SmppSession: unbind', () => {
  it('client unbind(): unbind_resp from the server engine, both sides close', async () => {
    const { client, server } = await connectPair();
    acceptBinds(server);
    await client.bind('transceiver', {});
    const serverClosed = closeOf(server);
    const reason = await client.unbind();
    expect(reason).toEqual({ code: 'local-unbind' });
    expect(client.state).toBe('closed');
    expect((await serverClosed).code).toBe('peer-unbind');
    // unbind() after close resolves with the same reason.
    expect(await client.unbind()).toBe(reason);
  });

  it('server unbind(): the client engine answers and the socket ends', async () => {
    const { client, server } = await connectPair();
    acceptBinds(server);
    await client.bind('receiver', {});
    const clientClosed = closeOf(client);
    expect((await server.unbind()).code).toBe('local-unbind');
    expect((await clientClosed).code).toBe('peer-unbind');
  });

  it('answers unbind only after pending work is done, so in-flight submits get their answers', async () => {
    const { client, server } = await connectPair();
    acceptBinds(server);
    const requests = queueRequests(server);
    await client.bind('transmitter', {});
    const submitted = client.request(submit());
    const pdu = await requests.next();
    const serverClosed = closeOf(server);
    // The server starts unbinding while the client's submit awaits its answer.
    const unbound = server.unbind();
    await new Promise((resolve) => client.once('state', resolve));
    expect(client.state).toBe('unbinding');
    // New requests are refused locally while unbinding.
    await expect(client.request(submit())).rejects.toBeInstanceOf(InvalidStateError);
    if (pdu.command === 'submit_sm') server.reply(pdu, 0, { messageId: 'kept' });
    expect(await submitted).toMatchObject({ messageId: 'kept' });
    expect((await unbound).code).toBe('local-unbind');
    expect((await serverClosed).code).toBe('local-unbind');
  });

  it('while the peer unbinds, waits for the application to answer its pending requests', async () => {
    const { client, server } = await connectPair();
    acceptBinds(server);
    const requests = queueRequests(server);
    await client.bind('transmitter', {});
    const submitted = client.request(submit());
    const pdu = await requests.next();
    const unbound = client.unbind();
    const serverState = await new Promise((resolve) => server.once('state', resolve));
    expect(serverState).toBe('unbinding');
    expect(server.pendingInbound).toBe(1);
    if (pdu.command === 'submit_sm') server.reply(pdu, 0, { messageId: 'before-unbind-resp' });
    expect(await submitted).toMatchObject({ messageId: 'before-unbind-resp' });
    expect(await unbound).toEqual({ code: 'local-unbind' });
  });

  it('answers a request crossing our unbind with a transient ESME_RSYSERR', async () => {
    const { server, port } = await startServer({}, acceptBinds);
    const peer = await RawPeer.connect(port);
    peer.send(createPdu('bind_transmitter', { sequenceNumber: 1 }));
    await peer.next();
    const session = [...server.sessions][0]!;
    void session.unbind();
    expect(await peer.next()).toMatchObject({ command: 'unbind' });
    peer.send(createPdu('submit_sm', { sequenceNumber: 2 }));
    expect(await peer.next()).toMatchObject({
      command: 'submit_sm_resp',
      commandStatus: CommandStatus.ESME_RSYSERR,
      sequenceNumber: 2,
    });
  });

  it('closes after the unbind timeout when unbind_resp never comes', async () => {
    const port = await rawSmsc(() => undefined);
    const client = await connectSmpp({ host: '127.0.0.1', port });
    onDispose(() => {
      client.close();
    });
    await client.bind('transceiver', {});
    const queued = client.request(submit()).catch((e: unknown) => e);
    const reason = await client.unbind({ timeout: 50 });
    expect(reason.code).toBe('local-unbind');
    expect(reason.error).toBeInstanceOf(ResponseTimeoutError);
    const error = await queued;
    expect(error).toBeInstanceOf(SessionClosedError);
  });

  it('finishes at once when unbinds cross on the wire', async () => {
    const port = await rawSmsc((peer, pdu) => {
      if (pdu.command === 'unbind') {
        // The SMSC unbinds too before answering.
        peer.send(createPdu('unbind', { sequenceNumber: 50 }));
        peer.send(createResponse(pdu));
      }
    });
    const client = await connectSmpp({ host: '127.0.0.1', port });
    await client.bind('transceiver', {});
    expect((await client.unbind()).code).toBe('local-unbind');
  });
});

describe('SmppSession: close and vanishing peers', () => {
  it('close() rejects pending and queued requests with SessionClosedError and emits close once', async () => {
    const { client, server } = await connectPair({ client: { windowSize: 1 } });
    acceptBinds(server);
    server.on('request', () => undefined);
    await client.bind('transmitter', {});
    const pending = [client.request(submit()), client.request(submit())].map((p) =>
      p.catch((e: unknown) => e),
    );
    const closes: CloseReason[] = [];
    client.on('close', (reason) => closes.push(reason));
    const serverClosed = closeOf(server);
    client.close();
    client.close();
    for (const error of await Promise.all(pending)) {
      expect(error).toBeInstanceOf(SessionClosedError);
      expect((error as SessionClosedError).reason.code).toBe('local-close');
    }
    expect(closes).toEqual([{ code: 'local-close' }]);
    expect(await client.closed).toEqual({ code: 'local-close' });
    expect((await serverClosed).code).toBe('peer-ended');
    await expect(client.request(submit())).rejects.toBeInstanceOf(SessionClosedError);
  });

  it('turns a peer reset mid-request into a typed rejection and a close reason', async () => {
    const port = await rawSmsc((peer, pdu) => {
      if (pdu.command === 'submit_sm') peer.socket.resetAndDestroy();
    });
    const client = await connectSmpp({ host: '127.0.0.1', port });
    await client.bind('transceiver', {});
    const error = await client.request(submit()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionClosedError);
    const reason = await client.closed;
    expect(['socket-error', 'peer-ended']).toContain(reason.code);
    if (reason.code === 'socket-error')
      expect((reason.error as NodeJS.ErrnoException).code).toBe('ECONNRESET');
  });

  it('closes with peer-ended when the peer just hangs up', async () => {
    const port = await rawSmsc((peer) => {
      peer.socket.end();
    });
    const client = await connectSmpp({ host: '127.0.0.1', port });
    await client.bind('transceiver', {});
    const error = await client.request(submit()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionClosedError);
    expect((await client.closed).code).toBe('peer-ended');
  });

  it('leaves no listeners behind on the socket beyond the error guard', async () => {
    const { client, server } = await connectPair();
    acceptBinds(server);
    await client.bind('transceiver', {});
    const socket = client.socket;
    await client.unbind();
    const bare = new net.Socket();
    for (const event of ['data', 'drain', 'end']) {
      expect(socket.listenerCount(event)).toBe(bare.listenerCount(event));
    }
    expect(socket.listenerCount('error')).toBeGreaterThan(bare.listenerCount('error'));
  });
});
