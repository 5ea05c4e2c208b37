/**
 * What the engine answers by itself to a raw peer: bind-state faults, unknown
 * and unsupported commands, undecodable PDUs, lost framing, random bytes.
 */
import { Buffer } from 'node:buffer';
import { once } from 'node:events';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandId } from '../constants/command-id.ts';
import { CommandStatus } from '../constants/command-status.ts';
import { PduDecodeError, type SmppError } from '../errors.ts';
import { createPdu } from '../pdu/create.ts';
import { encodePdu } from '../pdu/encode.ts';
import type { Pdu } from '../pdu/types.ts';
import type { CloseReason } from './close-reason.ts';
import { FramingError } from './session-errors.ts';
import { Queue, RawPeer, acceptBinds, disposeAll, startServer } from './session-kit.test-support.ts';
import type { SmppSession } from './smpp-session.ts';

const { ESME_ROK, ESME_RINVBNDSTS, ESME_RINVCMDID, ESME_RINVCMDLEN } = CommandStatus;

afterEach(disposeAll);

/**
 * A server whose sessions accept binds, answer submit_sm with message id "ok"
 * and every other request with ESME_RINVCMDID; returns a raw peer connected to it.
 */
async function rawPeerOnServer(
  options: Parameters<typeof startServer>[0] = {},
): Promise<{ peer: RawPeer; session: () => SmppSession; warnings: Queue<SmppError> }> {
  const warnings = new Queue<SmppError>();
  const { server, port } = await startServer(options, (session) => {
    acceptBinds(session);
    session.on('warning', (w) => {
      warnings.push(w);
    });
    session.on('request', (pdu) => {
      if (pdu.command === 'submit_sm') session.reply(pdu, ESME_ROK, { messageId: 'ok' });
      else if (pdu.command !== 'alert_notification') session.reply(pdu, ESME_RINVCMDID);
    });
  });
  const peer = await RawPeer.connect(port);
  const session = (): SmppSession => {
    const first = [...server.sessions][0];
    if (first === undefined) throw new Error('no session');
    return first;
  };
  return { peer, session, warnings };
}

function frame(commandLength: number, commandId: number, sequenceNumber: number, body = 0): Buffer {
  const bytes = Buffer.alloc(16 + body);
  bytes.writeUInt32BE(commandLength, 0);
  bytes.writeUInt32BE(commandId, 4);
  bytes.writeUInt32BE(sequenceNumber, 12);
  return bytes;
}

describe('SmppSession rules: bind state', () => {
  it('answers a submit_sm before bind with submit_sm_resp ESME_RINVBNDSTS and stays open', async () => {
    const { peer, session } = await rawPeerOnServer();
    peer.send(createPdu('submit_sm', { sequenceNumber: 7, destinationAddr: '1' }));
    expect(await peer.next()).toEqual({
      command: 'submit_sm_resp',
      commandStatus: ESME_RINVBNDSTS,
      sequenceNumber: 7,
      messageId: '',
    });
    peer.send(createPdu('query_sm', { sequenceNumber: 8 }), createPdu('data_sm', { sequenceNumber: 9 }));
    expect(await peer.next()).toMatchObject({
      command: 'query_sm_resp',
      commandStatus: ESME_RINVBNDSTS,
      sequenceNumber: 8,
    });
    expect(await peer.next()).toMatchObject({
      command: 'data_sm_resp',
      commandStatus: ESME_RINVBNDSTS,
      sequenceNumber: 9,
    });
    expect(session().state).toBe('open');
  });

  it('answers enquire_link before and after bind (the engine, not the application)', async () => {
    const { peer } = await rawPeerOnServer();
    peer.send(createPdu('enquire_link', { sequenceNumber: 3 }));
    expect(await peer.next()).toEqual({ command: 'enquire_link_resp', commandStatus: 0, sequenceNumber: 3 });
    peer.send(
      createPdu('bind_transceiver', { sequenceNumber: 4 }),
      createPdu('enquire_link', { sequenceNumber: 5 }),
    );
    expect(await peer.next()).toMatchObject({ command: 'bind_transceiver_resp', commandStatus: 0 });
    expect(await peer.next()).toEqual({ command: 'enquire_link_resp', commandStatus: 0, sequenceNumber: 5 });
  });

  it('answers submit_sm on a receiver bind with ESME_RINVBNDSTS', async () => {
    const { peer } = await rawPeerOnServer();
    peer.send(
      createPdu('bind_receiver', { sequenceNumber: 1 }),
      createPdu('submit_sm', { sequenceNumber: 2 }),
    );
    expect(await peer.next()).toMatchObject({ command: 'bind_receiver_resp', commandStatus: ESME_ROK });
    expect(await peer.next()).toMatchObject({
      command: 'submit_sm_resp',
      commandStatus: ESME_RINVBNDSTS,
      sequenceNumber: 2,
    });
  });

  it('accepts submit_sm on a transmitter bind', async () => {
    const { peer } = await rawPeerOnServer();
    peer.send(
      createPdu('bind_transmitter', { sequenceNumber: 1 }),
      createPdu('submit_sm', { sequenceNumber: 2 }),
    );
    await peer.next();
    expect(await peer.next()).toMatchObject({
      command: 'submit_sm_resp',
      commandStatus: ESME_ROK,
      messageId: 'ok',
    });
  });

  it('answers deliver_sm from an ESME with ESME_RINVCMDID once bound', async () => {
    const { peer } = await rawPeerOnServer();
    peer.send(
      createPdu('bind_transceiver', { sequenceNumber: 1 }),
      createPdu('deliver_sm', { sequenceNumber: 2 }),
    );
    await peer.next();
    expect(await peer.next()).toMatchObject({
      command: 'deliver_sm_resp',
      commandStatus: ESME_RINVCMDID,
      sequenceNumber: 2,
    });
  });
});

describe('SmppSession rules: unknown and unsupported commands', () => {
  it('answers an unknown command_id with generic_nack ESME_RINVCMDID, same sequence number', async () => {
    const { peer, warnings } = await rawPeerOnServer();
    peer.sendBytes(frame(16, 0x00000111, 42)); // broadcast_sm (SMPP 5.0)
    expect(await peer.next()).toEqual({
      command: 'generic_nack',
      commandStatus: ESME_RINVCMDID,
      sequenceNumber: 42,
    });
    expect(await warnings.next()).toBeInstanceOf(PduDecodeError);
    peer.sendBytes(frame(20, 0x0000abcd, 43, 4));
    expect(await peer.next()).toEqual({
      command: 'generic_nack',
      commandStatus: ESME_RINVCMDID,
      sequenceNumber: 43,
    });
  });

  it('answers a valid request the application does not handle with ESME_RINVCMDID (no listener)', async () => {
    const { server, port } = await startServer({}, acceptBinds);
    const peer = await RawPeer.connect(port);
    peer.send(
      createPdu('bind_transmitter', { sequenceNumber: 1 }),
      createPdu('query_sm', { sequenceNumber: 2 }),
    );
    await peer.next();
    expect(await peer.next()).toEqual({
      command: 'query_sm_resp',
      commandStatus: ESME_RINVCMDID,
      sequenceNumber: 2,
      messageId: '',
      finalDate: '',
      messageState: 0,
      errorCode: 0,
    });
    expect([...server.sessions][0]?.pendingInbound).toBe(0);
  });

  it('lets the application answer cancel_sm with ESME_RINVCMDID', async () => {
    const { port } = await startServer({}, (session) => {
      acceptBinds(session);
      session.on('request', (pdu) => {
        if (pdu.command === 'cancel_sm') session.reply(pdu, ESME_RINVCMDID);
      });
    });
    const peer = await RawPeer.connect(port);
    peer.send(
      createPdu('bind_transmitter', { sequenceNumber: 1 }),
      createPdu('cancel_sm', { sequenceNumber: 2 }),
    );
    await peer.next();
    expect(await peer.next()).toEqual({
      command: 'cancel_sm_resp',
      commandStatus: ESME_RINVCMDID,
      sequenceNumber: 2,
    });
  });

  it('answers outbind with generic_nack and ignores alert_notification', async () => {
    const { peer } = await rawPeerOnServer();
    peer.send(
      createPdu('bind_transceiver', { sequenceNumber: 1 }),
      createPdu('outbind', { sequenceNumber: 2, systemId: 'x' }),
      createPdu('alert_notification', { sequenceNumber: 3 }),
      createPdu('enquire_link', { sequenceNumber: 4 }),
    );
    await peer.next();
    expect(await peer.next()).toEqual({
      command: 'generic_nack',
      commandStatus: ESME_RINVCMDID,
      sequenceNumber: 2,
    });
    // Nothing for the alert_notification: the next PDU answers the enquire_link.
    expect(await peer.next()).toMatchObject({ command: 'enquire_link_resp', sequenceNumber: 4 });
  });
});

describe('SmppSession rules: undecodable PDUs and lost framing', () => {
  it('answers a PDU that fails to decode with its response and the error status, and stays open', async () => {
    const { peer, session, warnings } = await rawPeerOnServer();
    peer.send(createPdu('bind_transmitter', { sequenceNumber: 1 }));
    await peer.next();
    // submit_sm whose body ends after service_type: framing intact, body truncated.
    const bytes = frame(17, CommandId.submit_sm, 9, 1);
    peer.sendBytes(bytes);
    const answer = await peer.next();
    expect(answer).toMatchObject({ command: 'submit_sm_resp', sequenceNumber: 9 });
    expect(answer.commandStatus).not.toBe(ESME_ROK);
    const warning = await warnings.next();
    expect(warning).toBeInstanceOf(PduDecodeError);
    expect(answer.commandStatus).toBe(warning.commandStatus);
    peer.send(createPdu('enquire_link', { sequenceNumber: 10 }));
    expect(await peer.next()).toMatchObject({ command: 'enquire_link_resp', sequenceNumber: 10 });
    expect(session().state).toBe('bound_tx');
  });

  it('ignores a response that answers nothing, with a warning', async () => {
    const { peer, session, warnings } = await rawPeerOnServer();
    peer.send(createPdu('deliver_sm_resp', { sequenceNumber: 77 }));
    const warning = await warnings.next();
    expect(warning.name).toBe('UnexpectedResponseError');
    peer.send(createPdu('enquire_link', { sequenceNumber: 1 }));
    await peer.next();
    expect(session().state).toBe('open');
  });

  it.each([
    ['below 16', 8],
    ['above the cap', 5000],
  ])(
    'answers command_length %s with generic_nack ESME_RINVCMDLEN and closes',
    async (_name, commandLength) => {
      const { peer, session } = await rawPeerOnServer({ maxCommandLength: 4096 });
      peer.send(createPdu('enquire_link', { sequenceNumber: 1 }));
      await peer.next();
      const closed = once(session(), 'close') as Promise<[CloseReason]>;
      peer.sendBytes(frame(commandLength, CommandId.submit_sm, 31));
      expect(await peer.next()).toEqual({
        command: 'generic_nack',
        commandStatus: ESME_RINVCMDLEN,
        sequenceNumber: 31,
      });
      const [reason] = await closed;
      expect(reason.code).toBe('framing-error');
      expect(reason.error).toBeInstanceOf(FramingError);
      await peer.closed;
    },
  );

  it('survives random frames: answers or ignores each, never crashes, stays usable', async () => {
    const { peer, session } = await rawPeerOnServer();
    peer.send(createPdu('bind_transceiver', { sequenceNumber: 1 }));
    await peer.next();
    // Every command but unbind (which ends the session), plus unknown ids.
    const ids = [
      ...Object.values(CommandId).filter((id) => id !== CommandId.unbind),
      0x111,
      0x7fff,
      0x80000111,
    ];
    const frames = fc.sample(
      fc.record({
        commandId: fc.constantFrom(...ids),
        commandStatus: fc.constantFrom(0, 1, 0xff),
        sequenceNumber: fc.integer({ min: 1000, max: 0x7fffffff }),
        body: fc.uint8Array({ maxLength: 120 }),
      }),
      { numRuns: 300, seed: 4242 },
    );
    for (const f of frames) {
      const bytes = Buffer.concat([frame(16 + f.body.length, f.commandId, f.sequenceNumber), f.body]);
      bytes.writeUInt32BE(f.commandStatus, 8);
      peer.sendBytes(bytes);
    }
    peer.send(createPdu('enquire_link', { sequenceNumber: 999 }));
    let last: Pdu;
    do last = await peer.next();
    while (!(last.command === 'enquire_link_resp' && last.sequenceNumber === 999));
    expect(session().state).not.toBe('closed');
  });
});

describe('SmppSession rules: encoding of error responses', () => {
  it("writes 3.4 header-only error responses, or a NUL body with errorResponseBody 'empty'", async () => {
    for (const [errorResponseBody, length] of [
      ['omit', 16],
      ['empty', 17],
    ] as const) {
      const { port } = await startServer({ errorResponseBody });
      const peer = await RawPeer.connect(port);
      const bytes = new Promise<Buffer>((resolve) => peer.socket.once('data', resolve));
      peer.sendBytes(encodePdu(createPdu('submit_sm', { sequenceNumber: 5 })));
      expect((await bytes).readUInt32BE(0)).toBe(length);
    }
  });
});
