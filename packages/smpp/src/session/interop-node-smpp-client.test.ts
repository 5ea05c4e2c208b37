/**
 * Interop (a): the npm `smpp` package (node-smpp 0.5.1) as the ESME, against
 * our server-side session: the three binds, submit_sm, a delivery receipt
 * deliver_sm, enquire_link both ways, unbind both ways.
 */
import { Buffer } from 'node:buffer';
import { once } from 'node:events';
import smpp from 'smpp';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { createPdu } from '../pdu/create.ts';
import type { BindRequestPdu, InboundRequestPdu } from './session-events.ts';
import type { CloseReason } from './close-reason.ts';
import { Queue, disposeAll, onDispose, startServer } from './session-kit.test-support.ts';
import type { SmppSession } from './smpp-session.ts';

afterEach(disposeAll);

const receiptText =
  'id:1390125333 sub:001 dlvrd:001 submit date:2011181054 done date:2011181055 stat:DELIVRD err:000 text:Hello';

/** Our SMSC: accepts system_id "acme" / password "secret", answers submit_sm with message id 1390125333. */
async function ourSmsc(): Promise<{ port: number; sessions: Queue<SmppSession>; binds: BindRequestPdu[] }> {
  const sessions = new Queue<SmppSession>();
  const binds: BindRequestPdu[] = [];
  const { port } = await startServer({}, (session) => {
    session.on('bind', (pdu) => {
      binds.push(pdu);
      const ok = pdu.systemId === 'acme' && pdu.password === 'secret';
      session.reply(pdu, ok ? CommandStatus.ESME_ROK : CommandStatus.ESME_RINVPASWD, {
        systemId: 'SMSGW',
        tlvs: { scInterfaceVersion: 0x34 },
      });
    });
    session.on('request', (pdu) => {
      if (pdu.command === 'submit_sm')
        session.reply(pdu, CommandStatus.ESME_ROK, { messageId: '1390125333' });
    });
    sessions.push(session);
  });
  return { port, sessions, binds };
}

/** A node-smpp client session, connected. */
async function nodeSmppClient(port: number): Promise<smpp.Session> {
  const session = smpp.connect({ host: '127.0.0.1', port });
  session.on('error', () => undefined);
  onDispose(() => {
    session.destroy();
  });
  await once(session, 'connect');
  return session;
}

/** The node-smpp command shortcuts these tests call. */
type Shortcut =
  'bind_transmitter' | 'bind_receiver' | 'bind_transceiver' | 'submit_sm' | 'enquire_link' | 'unbind';

/** Calls a node-smpp command shortcut and resolves with the response. */
function call(session: smpp.Session, command: Shortcut, options: smpp.PduOptions = {}): Promise<smpp.PDU> {
  return new Promise((resolve) => {
    session[command](options, resolve);
  });
}

describe('interop: node-smpp client → our server', () => {
  it.each([
    ['bind_transmitter', 'bound_tx'],
    ['bind_receiver', 'bound_rx'],
    ['bind_transceiver', 'bound_trx'],
  ] as const)('%s', async (command, state) => {
    const { port, sessions, binds } = await ourSmsc();
    const client = await nodeSmppClient(port);
    const response = await call(client, command, { system_id: 'acme', password: 'secret' });
    expect(response.command).toBe(`${command}_resp`);
    expect(response.command_status).toBe(0);
    expect(response['system_id']).toBe('SMSGW');
    expect(response['sc_interface_version']).toBe(0x34);
    // node-smpp binds as SMPP 5.0 by default.
    expect(binds[0]).toMatchObject({ command, systemId: 'acme', interfaceVersion: 0x50 });
    expect((await sessions.next()).state).toBe(state);
  });

  it('refuses a wrong password with ESME_RINVPASWD (header-only response)', async () => {
    const { port } = await ourSmsc();
    const client = await nodeSmppClient(port);
    const response = await call(client, 'bind_transceiver', { system_id: 'acme', password: 'nope' });
    expect(response.command_status).toBe(smpp.ESME_RINVPASWD);
  });

  it('submit_sm → submit_sm_resp with a message_id', async () => {
    const { port, sessions } = await ourSmsc();
    const client = await nodeSmppClient(port);
    await call(client, 'bind_transmitter', { system_id: 'acme', password: 'secret' });
    const server = await sessions.next();
    const received = new Promise<InboundRequestPdu>((resolve) => server.once('request', resolve));
    const response = await call(client, 'submit_sm', {
      source_addr: 'ExampleCo',
      source_addr_ton: 5,
      destination_addr: '4512345678',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      registered_delivery: 1,
      short_message: 'Hello world',
      user_message_reference: 12345,
    });
    expect(response.command).toBe('submit_sm_resp');
    expect(response.command_status).toBe(0);
    expect(response['message_id']).toBe('1390125333');
    const pdu = await received;
    expect(pdu).toMatchObject({
      command: 'submit_sm',
      sourceAddr: 'ExampleCo',
      sourceAddrTon: 5,
      destinationAddr: '4512345678',
      destAddrTon: 1,
      registeredDelivery: 1,
      // node-smpp's automatic coding labels GSM 03.38 text as data_coding 1.
      dataCoding: 1,
      tlvs: { userMessageReference: 12345 },
    });
    if (pdu.command === 'submit_sm')
      expect(Buffer.from(pdu.shortMessage).toString('latin1')).toBe('Hello world');
  });

  it('answers submit_sm on a receiver bind with ESME_RINVBNDSTS', async () => {
    const { port } = await ourSmsc();
    const client = await nodeSmppClient(port);
    await call(client, 'bind_receiver', { system_id: 'acme', password: 'secret' });
    const response = await call(client, 'submit_sm', { destination_addr: '1', short_message: 'x' });
    expect(response.command_status).toBe(smpp.ESME_RINVBNDSTS);
  });

  it('our deliver_sm receipt → deliver_sm_resp from node-smpp', async () => {
    const { port, sessions } = await ourSmsc();
    const client = await nodeSmppClient(port);
    const delivered = new Queue<smpp.PDU>();
    client.on('deliver_sm', (pdu: smpp.PDU) => {
      delivered.push(pdu);
      client.send(pdu.response());
    });
    await call(client, 'bind_receiver', { system_id: 'acme', password: 'secret' });
    const server = await sessions.next();
    const response = await server.request(
      createPdu('deliver_sm', {
        sourceAddrTon: 1,
        sourceAddrNpi: 1,
        sourceAddr: '4512345678',
        destAddrTon: 5,
        destinationAddr: 'ExampleCo',
        esmClass: 0x04,
        dataCoding: 0,
        shortMessage: Buffer.from(receiptText, 'latin1'),
        tlvs: {
          receiptedMessageId: '1390125333',
          messageState: 2,
          networkErrorCode: { networkType: 3, errorCode: 0 },
        },
      }),
    );
    expect(response).toMatchObject({ command: 'deliver_sm_resp', commandStatus: 0 });
    const pdu = await delivered.next();
    expect(pdu['esm_class']).toBe(0x04);
    expect(pdu['source_addr']).toBe('4512345678');
    expect(pdu['destination_addr']).toBe('ExampleCo');
    expect(pdu['receipted_message_id']).toBe('1390125333');
    expect(pdu['message_state']).toBe(2);
    expect((pdu['short_message'] as { message: string }).message).toBe(receiptText);
  });

  it('enquire_link both ways', async () => {
    const { port, sessions } = await ourSmsc();
    const client = await nodeSmppClient(port);
    client.on('enquire_link', (pdu: smpp.PDU) => {
      client.send(pdu.response());
    });
    await call(client, 'bind_transceiver', { system_id: 'acme', password: 'secret' });
    const server = await sessions.next();
    const fromClient = await call(client, 'enquire_link');
    expect(fromClient.command).toBe('enquire_link_resp');
    expect(fromClient.command_status).toBe(0);
    const fromServer = await server.request(createPdu('enquire_link'));
    expect(fromServer).toMatchObject({ command: 'enquire_link_resp', commandStatus: 0 });
  });

  it('unbind from node-smpp: our engine answers unbind_resp and closes', async () => {
    const { port, sessions } = await ourSmsc();
    const client = await nodeSmppClient(port);
    await call(client, 'bind_transceiver', { system_id: 'acme', password: 'secret' });
    const server = await sessions.next();
    const serverClosed = once(server, 'close') as Promise<[CloseReason]>;
    const clientClosed = once(client, 'close');
    const response = await call(client, 'unbind');
    expect(response.command).toBe('unbind_resp');
    expect(response.command_status).toBe(0);
    expect((await serverClosed)[0].code).toBe('peer-unbind');
    await clientClosed;
  });

  it('unbind from our server: node-smpp answers and closes', async () => {
    const { port, sessions } = await ourSmsc();
    const client = await nodeSmppClient(port);
    client.on('unbind', (pdu: smpp.PDU) => {
      client.send(pdu.response());
      client.close();
    });
    await call(client, 'bind_transceiver', { system_id: 'acme', password: 'secret' });
    const server = await sessions.next();
    expect(await server.unbind()).toEqual({ code: 'local-unbind' });
  });
});
