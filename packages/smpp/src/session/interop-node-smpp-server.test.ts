/**
 * Interop (b): the npm `smpp` package (node-smpp 0.5.1) as the SMSC, against
 * our client-side session: the three binds, submit_sm, a delivery receipt
 * deliver_sm from node-smpp, enquire_link both ways, unbind both ways.
 */
import { Buffer } from 'node:buffer';
import { once } from 'node:events';
import type net from 'node:net';
import smpp from 'smpp';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { createPdu } from '../pdu/create.ts';
import { connectSmpp } from './client.ts';
import type { CloseReason } from './close-reason.ts';
import type { InboundRequestPdu } from './session-events.ts';
import { Queue, disposeAll, onDispose } from './session-kit.test-support.ts';
import type { SmppSession } from './smpp-session.ts';

afterEach(disposeAll);

const receiptText =
  'id:abc123 sub:001 dlvrd:001 submit date:2011181054 done date:2011181055 stat:DELIVRD err:000 text:Hello';

/** A node-smpp SMSC: accepts any bind, answers submit_sm with message id "abc123" and enquire_link. */
async function nodeSmppSmsc(): Promise<{
  port: number;
  sessions: Queue<smpp.Session>;
  pdus: Queue<smpp.PDU>;
}> {
  const sessions = new Queue<smpp.Session>();
  const pdus = new Queue<smpp.PDU>();
  const server = smpp.createServer((session) => {
    session.on('error', () => undefined);
    session.on('pdu', (pdu: smpp.PDU) => {
      if (pdu.isResponse()) return;
      pdus.push(pdu);
      if (pdu.command.startsWith('bind_')) session.send(pdu.response({ system_id: 'NODESMPP' }));
      else if (pdu.command === 'submit_sm') session.send(pdu.response({ message_id: 'abc123' }));
      else if (pdu.command === 'enquire_link') session.send(pdu.response());
      else if (pdu.command === 'unbind') {
        session.send(pdu.response());
        session.close();
      }
    });
    sessions.push(session);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onDispose(
    () =>
      new Promise((resolve) => {
        for (const session of server.sessions) session.destroy();
        server.close(resolve);
      }),
  );
  return { port: (server.address() as net.AddressInfo).port, sessions, pdus };
}

async function ourClient(port: number): Promise<SmppSession> {
  const client = await connectSmpp({ host: '127.0.0.1', port });
  onDispose(() => {
    client.close();
  });
  return client;
}

describe('interop: our client → node-smpp server', () => {
  it.each([
    ['transmitter', 'bind_transmitter', 'bound_tx'],
    ['receiver', 'bind_receiver', 'bound_rx'],
    ['transceiver', 'bind_transceiver', 'bound_trx'],
  ] as const)('bind %s', async (type, command, state) => {
    const { port, pdus } = await nodeSmppSmsc();
    const client = await ourClient(port);
    const response = await client.bind(type, { systemId: 'acme', password: 'secret', systemType: 'EX' });
    expect(response).toMatchObject({ command: `${command}_resp`, commandStatus: 0, systemId: 'NODESMPP' });
    expect(client.state).toBe(state);
    const bind = await pdus.next();
    expect(bind.command).toBe(command);
    expect(bind['system_id']).toBe('acme');
    expect(bind['password']).toBe('secret');
    expect(bind['system_type']).toBe('EX');
    expect(bind['interface_version']).toBe(0x34);
  });

  it('submit_sm → submit_sm_resp with a message_id', async () => {
    const { port, pdus } = await nodeSmppSmsc();
    const client = await ourClient(port);
    await client.bind('transmitter', { systemId: 'acme', password: 'secret' });
    await pdus.next();
    const response = await client.request(
      createPdu('submit_sm', {
        sourceAddrTon: 5,
        sourceAddr: 'ExampleCo',
        destAddrTon: 1,
        destAddrNpi: 1,
        destinationAddr: '4512345678',
        registeredDelivery: 1,
        dataCoding: 0,
        shortMessage: Buffer.from('Hello world', 'latin1'),
        tlvs: { userMessageReference: 12345 },
      }),
    );
    expect(response).toMatchObject({ command: 'submit_sm_resp', commandStatus: 0, messageId: 'abc123' });
    const submit = await pdus.next();
    expect(submit['source_addr']).toBe('ExampleCo');
    expect(submit['destination_addr']).toBe('4512345678');
    expect(submit['registered_delivery']).toBe(1);
    expect(submit['user_message_reference']).toBe(12345);
    expect((submit['short_message'] as { message: string }).message).toBe('Hello world');
  });

  it("node-smpp's deliver_sm receipt → our deliver_sm_resp", async () => {
    const { port, sessions, pdus } = await nodeSmppSmsc();
    const client = await ourClient(port);
    const requests = new Queue<InboundRequestPdu>();
    client.on('request', (pdu) => {
      requests.push(pdu);
      if (pdu.command === 'deliver_sm') client.reply(pdu);
    });
    await client.bind('receiver', { systemId: 'acme', password: 'secret' });
    await pdus.next();
    const smsc = await sessions.next();
    const response = await new Promise<smpp.PDU>((resolve) => {
      smsc.deliver_sm(
        {
          source_addr_ton: 1,
          source_addr_npi: 1,
          source_addr: '4512345678',
          dest_addr_ton: 5,
          destination_addr: 'ExampleCo',
          esm_class: 0x04,
          short_message: receiptText,
          receipted_message_id: 'abc123',
          message_state: 2,
        },
        resolve,
      );
    });
    expect(response.command).toBe('deliver_sm_resp');
    expect(response.command_status).toBe(0);
    const pdu = await requests.next();
    expect(pdu).toMatchObject({
      command: 'deliver_sm',
      sourceAddr: '4512345678',
      destinationAddr: 'ExampleCo',
      esmClass: 0x04,
      // node-smpp labels its GSM 03.38 text data_coding 1.
      dataCoding: 1,
      tlvs: { receiptedMessageId: 'abc123', messageState: 2 },
    });
    if (pdu.command === 'deliver_sm')
      expect(Buffer.from(pdu.shortMessage).toString('latin1')).toBe(receiptText);
  });

  it('a deliver_sm to our transmitter bind is answered ESME_RINVBNDSTS', async () => {
    const { port, sessions, pdus } = await nodeSmppSmsc();
    const client = await ourClient(port);
    await client.bind('transmitter', {});
    await pdus.next();
    const smsc = await sessions.next();
    const response = await new Promise<smpp.PDU>((resolve) => {
      smsc.deliver_sm({ destination_addr: 'x', short_message: 'hi' }, resolve);
    });
    expect(response.command_status).toBe(CommandStatus.ESME_RINVBNDSTS);
  });

  it('enquire_link both ways', async () => {
    const { port, sessions, pdus } = await nodeSmppSmsc();
    const client = await ourClient(port);
    await client.bind('transceiver', {});
    await pdus.next();
    const smsc = await sessions.next();
    expect(await client.request(createPdu('enquire_link'))).toMatchObject({
      command: 'enquire_link_resp',
      commandStatus: 0,
    });
    const response = await new Promise<smpp.PDU>((resolve) => {
      smsc.enquire_link(resolve);
    });
    expect(response.command).toBe('enquire_link_resp');
    expect(response.command_status).toBe(0);
  });

  it('our unbind: node-smpp answers, we close', async () => {
    const { port, pdus } = await nodeSmppSmsc();
    const client = await ourClient(port);
    await client.bind('transceiver', {});
    await pdus.next();
    expect(await client.unbind()).toEqual({ code: 'local-unbind' });
    expect((await pdus.next()).command).toBe('unbind');
  });

  it("node-smpp's unbind: our engine answers unbind_resp and closes", async () => {
    const { port, sessions, pdus } = await nodeSmppSmsc();
    const client = await ourClient(port);
    await client.bind('transceiver', {});
    await pdus.next();
    const smsc = await sessions.next();
    const closed = once(client, 'close') as Promise<[CloseReason]>;
    const response = await new Promise<smpp.PDU>((resolve) => {
      smsc.unbind(resolve);
    });
    expect(response.command).toBe('unbind_resp');
    expect(response.command_status).toBe(0);
    expect((await closed)[0].code).toBe('peer-unbind');
  });
});
