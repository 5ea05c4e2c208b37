import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { SmppError } from '../errors.ts';
import { createPdu } from '../pdu/create.ts';
import { createResponse } from '../pdu/respond.ts';
import { connectSmpp } from './client.ts';
import {
  BindRejectedError,
  GenericNackError,
  InvalidStateError,
  NoPendingRequestError,
  ResponseTimeoutError,
  UnexpectedResponseError,
  WindowFullError,
} from './session-errors.ts';
import {
  Queue,
  RawPeer,
  acceptBinds,
  connectPair,
  disposeAll,
  onDispose,
  queueRequests,
  startRawServer,
  startServer,
} from './session-kit.test-support.ts';

const { ESME_ROK, ESME_RINVBNDSTS, ESME_RALYBND, ESME_RINVCMDID, ESME_RINVPASWD, ESME_RBINDFAIL } =
  CommandStatus;

afterEach(disposeAll);

const submit = (destinationAddr = '4512345678') =>
  createPdu('submit_sm', { destinationAddr, shortMessage: new Uint8Array([0x48, 0x69]) });

describe('SmppSession: bind', () => {
  it('binds a transceiver: the application accepts, both sides move to BOUND_TRX', async () => {
    const { client, server } = await connectPair();
    const states: string[] = [];
    server.on('state', (state) => states.push(state));
    server.on('bind', (pdu) => {
      expect(pdu).toMatchObject({
        command: 'bind_transceiver',
        systemId: 'acme',
        password: 'pw',
        interfaceVersion: 0x34,
      });
      server.reply(pdu, ESME_ROK, { systemId: 'SMSC', tlvs: { scInterfaceVersion: 0x34 } });
    });
    const response = await client.bind('transceiver', { systemId: 'acme', password: 'pw' });
    expect(response).toMatchObject({ command: 'bind_transceiver_resp', systemId: 'SMSC', commandStatus: 0 });
    expect(response.tlvs.scInterfaceVersion).toBe(0x34);
    expect(client.state).toBe('bound_trx');
    expect(server.state).toBe('bound_trx');
    expect(states).toEqual(['bound_trx']);
  });

  it.each([
    ['transmitter', 'bound_tx'],
    ['receiver', 'bound_rx'],
  ] as const)('binds a %s', async (type, state) => {
    const { client, server } = await connectPair();
    acceptBinds(server);
    await client.bind(type, { systemId: 'acme' });
    expect(client.state).toBe(state);
    expect(server.state).toBe(state);
  });

  it('rejects bind() with the peer status and stays OPEN; a retry may succeed', async () => {
    const { client, server } = await connectPair();
    server.on('bind', (pdu) => {
      server.reply(pdu, pdu.password === 'right' ? ESME_ROK : ESME_RINVPASWD);
    });
    const error = await client
      .bind('transmitter', { systemId: 'acme', password: 'wrong' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BindRejectedError);
    expect((error as BindRejectedError).commandStatus).toBe(ESME_RINVPASWD);
    expect(client.state).toBe('open');
    expect(server.state).toBe('open');
    await client.bind('transmitter', { systemId: 'acme', password: 'right' });
    expect(server.state).toBe('bound_tx');
  });

  it('answers ESME_RBINDFAIL when the server application does not listen for binds', async () => {
    const { client } = await connectPair();
    const error = await client.bind('transceiver', { systemId: 'acme' }).catch((e: unknown) => e);
    expect((error as SmppError).commandStatus).toBe(ESME_RBINDFAIL);
  });

  it('refuses a second bind locally and answers one from the peer with ESME_RALYBND', async () => {
    const { server: smppServer, port } = await startServer({}, acceptBinds);
    const peer = await RawPeer.connect(port);
    peer.send(createPdu('bind_transmitter', { sequenceNumber: 1, systemId: 'a' }));
    expect(await peer.next()).toMatchObject({ command: 'bind_transmitter_resp', commandStatus: ESME_ROK });
    peer.send(createPdu('bind_receiver', { sequenceNumber: 2, systemId: 'a' }));
    expect(await peer.next()).toMatchObject({
      command: 'bind_receiver_resp',
      commandStatus: ESME_RALYBND,
      sequenceNumber: 2,
    });
    expect([...smppServer.sessions][0]?.state).toBe('bound_tx');

    const { client, server } = await connectPair();
    acceptBinds(server);
    await client.bind('transceiver', { systemId: 'a' });
    const error = await client.bind('transceiver', { systemId: 'a' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidStateError);
    expect((error as InvalidStateError).commandStatus).toBe(ESME_RALYBND);
  });
});

describe('SmppSession: requests and responses', () => {
  it('submits, and resolves with the response whatever its status', async () => {
    const { client, server } = await connectPair();
    acceptBinds(server);
    const requests = queueRequests(server);
    await client.bind('transmitter', { systemId: 'acme' });

    const first = client.request(submit());
    const pdu = await requests.next();
    expect(pdu).toMatchObject({ command: 'submit_sm', destinationAddr: '4512345678', sequenceNumber: 2 });
    if (pdu.command !== 'submit_sm') throw new Error('expected submit_sm');
    expect(server.pendingInbound).toBe(1);
    server.reply(pdu, ESME_ROK, { messageId: '1390125333' });
    expect(await first).toMatchObject({
      command: 'submit_sm_resp',
      messageId: '1390125333',
      commandStatus: 0,
    });
    expect(server.pendingInbound).toBe(0);

    const second = client.request(submit());
    const pdu2 = await requests.next();
    server.respond(createResponse(pdu2 as typeof pdu, CommandStatus.ESME_RINVDSTADR));
    expect(await second).toMatchObject({
      command: 'submit_sm_resp',
      commandStatus: CommandStatus.ESME_RINVDSTADR,
    });
  });

  it('reject() answers any inbound request with its own response type and the status', async () => {
    const { client, server } = await connectPair();
    acceptBinds(server);
    const requests = queueRequests(server);
    await client.bind('transceiver', {});
    const query = client.request(createPdu('query_sm', { messageId: '42' }));
    const pdu = await requests.next();
    expect(server.reject(pdu, ESME_RINVCMDID)).toBe(true);
    expect(await query).toMatchObject({ command: 'query_sm_resp', commandStatus: ESME_RINVCMDID });
    expect(server.pendingInbound).toBe(0);
  });

  it('numbers requests from 1 upwards', async () => {
    const { client, server } = await connectPair();
    acceptBinds(server);
    const requests = queueRequests(server);
    await client.bind('transmitter', {});
    const pending = [client.request(submit()), client.request(submit()), client.request(submit())];
    const seen = [await requests.next(), await requests.next(), await requests.next()];
    expect(seen.map((p) => p.sequenceNumber)).toEqual([2, 3, 4]);
    for (const p of seen)
      if (p.command === 'submit_sm') server.reply(p, 0, { messageId: String(p.sequenceNumber) });
    expect((await Promise.all(pending)).map((r) => r.messageId)).toEqual(['2', '3', '4']);
  });

  it('rejects requests the bind state does not allow, locally', async () => {
    const { client, server } = await connectPair();
    acceptBinds(server);
    const early = await client.request(submit()).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(InvalidStateError);
    expect((early as InvalidStateError).commandStatus).toBe(ESME_RINVBNDSTS);
    await client.bind('transmitter', {});
    // The server may not send deliver_sm to a TX bind.
    const deliver = await server.request(createPdu('deliver_sm')).catch((e: unknown) => e);
    expect(deliver).toBeInstanceOf(InvalidStateError);
    expect((deliver as InvalidStateError).commandStatus).toBe(ESME_RINVBNDSTS);
  });

  it('delivers deliver_sm from the server to an RX client and back', async () => {
    const { client, server } = await connectPair();
    acceptBinds(server);
    await client.bind('receiver', {});
    client.on('request', (pdu) => {
      if (pdu.command === 'deliver_sm') client.reply(pdu);
    });
    const response = await server.request(
      createPdu('deliver_sm', { esmClass: 0x04, tlvs: { messageState: 2 } }),
    );
    expect(response).toMatchObject({ command: 'deliver_sm_resp', commandStatus: 0 });
  });

  it('rejects with GenericNackError when the peer answers generic_nack', async () => {
    const port = await startRawServer((peer) => {
      void (async () => {
        for (;;) {
          const pdu = await peer.next();
          if (pdu.command === 'bind_transceiver') peer.send(createResponse(pdu));
          else
            peer.send({
              command: 'generic_nack',
              commandStatus: ESME_RINVCMDID,
              sequenceNumber: pdu.sequenceNumber,
            });
        }
      })();
    });
    const client = await connectSmpp({ host: '127.0.0.1', port });
    onDispose(() => {
      client.close();
    });
    await client.bind('transceiver', {});
    const error = await client.request(submit()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenericNackError);
    expect((error as GenericNackError).commandStatus).toBe(ESME_RINVCMDID);
    expect((error as GenericNackError).command).toBe('submit_sm');
  });

  it('times out a request, then reports its late response as a warning', async () => {
    const { client, server } = await connectPair();
    acceptBinds(server);
    const requests = queueRequests(server);
    const warnings = new Queue<SmppError>();
    client.on('warning', (w) => {
      warnings.push(w);
    });
    await client.bind('transmitter', {});
    const error = await client.request(submit(), { timeout: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTimeoutError);
    expect((error as ResponseTimeoutError).sequenceNumber).toBe(2);
    expect(client.inFlightRequests).toBe(0);
    const late = await requests.next();
    if (late.command === 'submit_sm') server.reply(late, 0, { messageId: 'late' });
    const warning = await warnings.next();
    if (!(warning instanceof UnexpectedResponseError)) throw new Error(`unexpected warning ${warning.name}`);
    expect(warning.pdu).toMatchObject({
      command: 'submit_sm_resp',
      messageId: 'late',
    });
    expect(client.state).toBe('bound_tx');
  });

  it('honours a per-request timeout', async () => {
    const { client, server } = await connectPair();
    acceptBinds(server);
    server.on('request', () => undefined);
    await client.bind('transmitter', {});
    await expect(client.request(submit(), { timeout: 20 })).rejects.toBeInstanceOf(ResponseTimeoutError);
  });

  it('throws NoPendingRequestError for an answer to nothing, and returns false once closed', async () => {
    const { client, server } = await connectPair();
    acceptBinds(server);
    const requests = queueRequests(server);
    await client.bind('transmitter', {});
    expect(() => server.respond(createPdu('submit_sm_resp', { sequenceNumber: 99 }))).toThrow(
      NoPendingRequestError,
    );
    const pending = client.request(submit()).catch((e: unknown) => e);
    const pdu = await requests.next();
    // A request is not an answer.
    expect(() => server.respond(createPdu('submit_sm', { sequenceNumber: pdu.sequenceNumber }))).toThrow(
      NoPendingRequestError,
    );
    client.close();
    await once(server, 'close');
    if (pdu.command === 'submit_sm') expect(server.reply(pdu, 0, { messageId: 'x' })).toBe(false);
    await pending;
  });
});

describe('SmppSession: outbound window', () => {
  it('holds the N+1th request until a response frees a slot', async () => {
    const { client, server } = await connectPair({ client: { windowSize: 2 } });
    acceptBinds(server);
    const requests = queueRequests(server);
    await client.bind('transmitter', {});
    const responses = [1, 2, 3, 4, 5].map((n) => client.request(submit(String(n))));
    const a = await requests.next();
    const b = await requests.next();
    expect([a, b].map((p) => p.command === 'submit_sm' && p.destinationAddr)).toEqual(['1', '2']);
    expect(client.inFlightRequests).toBe(2);
    expect(client.queuedRequests).toBe(3);
    // Nothing more arrives while the window is full: an enquire_link round trip proves the link is idle.
    await client.request(createPdu('enquire_link'));
    expect(requests.size).toBe(0);
    server.reply(b as typeof b & { command: 'submit_sm' }, 0, { messageId: 'b' });
    const c = await requests.next();
    expect(c.command === 'submit_sm' && c.destinationAddr).toBe('3');
    expect(await responses[1]).toMatchObject({ messageId: 'b' });
    const answer = (p: typeof a): void => {
      if (p.command === 'submit_sm') server.reply(p, 0, { messageId: p.destinationAddr });
    };
    answer(a);
    answer(c);
    answer(await requests.next());
    answer(await requests.next());
    expect((await Promise.all(responses)).map((r) => r.messageId)).toEqual(['1', 'b', '3', '4', '5']);
  });

  it('rejects with WindowFullError once window and queue are full', async () => {
    const { client, server } = await connectPair({ client: { windowSize: 1, maxQueuedRequests: 1 } });
    acceptBinds(server);
    const requests = queueRequests(server);
    await client.bind('transmitter', {});
    const first = client.request(submit());
    const second = client.request(submit());
    const third = await client.request(submit()).catch((e: unknown) => e);
    expect(third).toBeInstanceOf(WindowFullError);
    expect((third as WindowFullError).commandStatus).toBe(CommandStatus.ESME_RTHROTTLED);
    for (let i = 0; i < 2; i++) {
      const p = await requests.next();
      if (p.command === 'submit_sm') server.reply(p, 0, { messageId: String(i) });
    }
    await Promise.all([first, second]);
  });
});
