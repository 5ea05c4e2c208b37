/** enquire_link keep-alive both ways, dead-peer detection, inactivity and bind timeouts (short timers, no timing asserts). */
import { afterEach, describe, expect, it } from 'vitest';
import { createPdu } from '../pdu/create.ts';
import { createResponse } from '../pdu/respond.ts';
import type { Pdu } from '../pdu/types.ts';
import type { CloseReason } from './close-reason.ts';
import { connectSmpp } from './client.ts';
import { ResponseTimeoutError } from './session-errors.ts';
import {
  Queue,
  RawPeer,
  acceptBinds,
  connectPair,
  delay,
  disposeAll,
  onDispose,
  startRawServer,
  startServer,
} from './session-kit.test-support.ts';

afterEach(disposeAll);

interface Received {
  peer: RawPeer;
  pdu: Pdu;
}

/** A raw SMSC that answers binds and hands every other PDU to the returned queue. */
async function rawSmsc(): Promise<{ port: number; peers: Queue<RawPeer>; pdus: Queue<Received> }> {
  const peers = new Queue<RawPeer>();
  const pdus = new Queue<Received>();
  const port = await startRawServer((peer) => {
    peers.push(peer);
    void (async () => {
      for (;;) {
        const pdu = await peer.next();
        if (pdu.command === 'bind_transceiver') peer.send(createResponse(pdu));
        else pdus.push({ peer, pdu });
      }
    })();
  });
  return { port, peers, pdus };
}

describe('SmppSession: enquire_link keep-alive', () => {
  it('client sends enquire_link when idle while bound, and keeps doing so', async () => {
    const { port, pdus } = await rawSmsc();
    const client = await connectSmpp({ host: '127.0.0.1', port, enquireLinkInterval: 30 });
    onDispose(() => {
      client.close();
    });
    await client.bind('transceiver', {});
    for (let i = 0; i < 3; i++) {
      const { peer, pdu } = await pdus.next();
      expect(pdu.command).toBe('enquire_link');
      if (pdu.command === 'enquire_link') peer.send(createResponse(pdu));
    }
    expect(client.state).toBe('bound_trx');
  });

  it('server sends enquire_link to an idle bound client', async () => {
    const { port } = await startServer({ enquireLinkInterval: 20 }, acceptBinds);
    const peer = await RawPeer.connect(port);
    peer.send(createPdu('bind_receiver', { sequenceNumber: 1 }));
    await peer.next();
    for (let i = 0; i < 3; i++) {
      const pdu = await peer.next();
      expect(pdu.command).toBe('enquire_link');
      if (pdu.command === 'enquire_link') peer.send(createResponse(pdu));
    }
  });

  it('the client engine answers the SMSC enquire_link itself', async () => {
    const { port, peers, pdus } = await rawSmsc();
    const client = await connectSmpp({ host: '127.0.0.1', port, enquireLinkInterval: 0 });
    onDispose(() => {
      client.close();
    });
    let applicationSawIt = false;
    client.on('request', () => {
      applicationSawIt = true;
    });
    await client.bind('transceiver', {});
    const peer = await peers.next();
    peer.send(createPdu('enquire_link', { sequenceNumber: 9 }));
    expect((await pdus.next()).pdu).toEqual({
      command: 'enquire_link_resp',
      commandStatus: 0,
      sequenceNumber: 9,
    });
    expect(applicationSawIt).toBe(false);
  });

  it('sends no keep-alive before bind', async () => {
    const { port, pdus } = await rawSmsc();
    const client = await connectSmpp({ host: '127.0.0.1', port, enquireLinkInterval: 10 });
    onDispose(() => {
      client.close();
    });
    await delay(60);
    expect(pdus.size).toBe(0);
    await client.bind('transceiver', {});
    expect((await pdus.next()).pdu.command).toBe('enquire_link');
  });

  it('closes with enquire-link-timeout when the peer does not answer (dead peer)', async () => {
    const { port, pdus } = await rawSmsc();
    const client = await connectSmpp({
      host: '127.0.0.1',
      port,
      enquireLinkInterval: 20,
      responseTimeout: 200,
    });
    await client.bind('transceiver', {});
    expect((await pdus.next()).pdu.command).toBe('enquire_link');
    const reason = await client.closed;
    expect(reason.code).toBe('enquire-link-timeout');
    expect(reason.error).toBeInstanceOf(ResponseTimeoutError);
  });
});

describe('SmppSession: inactivity and bind timeouts', () => {
  it('server closes a bound session with no inbound traffic after inactivityTimeout', async () => {
    const closed = new Queue<CloseReason>();
    const { port } = await startServer({ inactivityTimeout: 200, enquireLinkInterval: 0 }, (session) => {
      acceptBinds(session);
      session.on('close', (reason) => {
        closed.push(reason);
      });
    });
    const peer = await RawPeer.connect(port);
    peer.send(createPdu('bind_transceiver', { sequenceNumber: 1 }));
    await peer.next();
    expect((await closed.next()).code).toBe('inactivity-timeout');
    await peer.closed;
  });

  it('server closes a session that does not bind within bindTimeout', async () => {
    const closed = new Queue<CloseReason>();
    const { port } = await startServer({ bindTimeout: 200 }, (session) => {
      session.on('close', (reason) => {
        closed.push(reason);
      });
    });
    const peer = await RawPeer.connect(port);
    // enquire_link is answered but does not count as binding.
    peer.send(createPdu('enquire_link', { sequenceNumber: 1 }));
    await peer.next();
    expect((await closed.next()).code).toBe('bind-timeout');
    await peer.closed;
  });

  it('a bound session outlives the bind timeout', async () => {
    // Generous margin: binding takes a few ms, the timer would fire at 300 ms.
    const { client, server } = await connectPair({ server: { bindTimeout: 300 } });
    acceptBinds(server);
    await client.bind('transceiver', {});
    await delay(400);
    expect(server.state).toBe('bound_trx');
  });
});
