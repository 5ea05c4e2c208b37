import { CommandStatus, createPdu, type SmppSession } from '@smsgw/smpp';
import { Header, presenceKey, submitSubject } from '@smsgw/nats';
import { waitFor } from '@smsgw/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  accountInput,
  bindClient,
  bindStatus,
  startEdge,
  startNatsFixture,
  storedSubmits,
  submit,
  type EdgeFixture,
  type NatsFixture,
} from './edge.test-support.ts';
import { parseMessageId } from './ids/message-id-generator.ts';

let nats: NatsFixture;
let fx: EdgeFixture;
const open: SmppSession[] = [];

async function bind(
  type: 'transmitter' | 'receiver' | 'transceiver',
  systemId: string,
): Promise<SmppSession> {
  const session = await bindClient(fx.port, type, systemId);
  open.push(session);
  return session;
}

beforeAll(async () => {
  nats = await startNatsFixture();
  await nats.store.create(accountInput('acme', { maxSubmitsPerSecond: 100_000 }));
  await nats.store.create(accountInput('rx-only', { bindTypes: ['receiver'] }));
  await nats.store.create(accountInput('two-binds', { maxBinds: 2 }));
  fx = await startEdge(nats);
});

afterEach(() => {
  for (const session of open.splice(0)) session.close();
});

afterAll(async () => {
  await fx.stop();
  await nats.stop();
});

describe('bind', () => {
  it.each(['transmitter', 'receiver', 'transceiver'] as const)('binds as %s', async (type) => {
    const session = await bind(type, 'acme');
    expect(session.state).toBe(
      type === 'transmitter' ? 'bound_tx' : type === 'receiver' ? 'bound_rx' : 'bound_trx',
    );
  });

  it('answers ESME_RINVPASWD alike for a wrong password and an unknown system_id', async () => {
    expect(await bindStatus(fx.port, 'transmitter', 'acme', 'wrong')).toBe(CommandStatus.ESME_RINVPASWD);
    expect(await bindStatus(fx.port, 'transmitter', 'nobody', 'secret')).toBe(CommandStatus.ESME_RINVPASWD);
  });

  it('refuses a bind type the account does not allow with ESME_RBINDFAIL', async () => {
    expect(await bindStatus(fx.port, 'transmitter', 'rx-only')).toBe(CommandStatus.ESME_RBINDFAIL);
    expect(await bindStatus(fx.port, 'receiver', 'rx-only')).toBe(CommandStatus.ESME_ROK);
  });

  it('refuses binds beyond maxBinds on this pod with ESME_RBINDFAIL, and frees the slot on unbind', async () => {
    const first = await bind('transmitter', 'two-binds');
    await bind('transmitter', 'two-binds');
    expect(await bindStatus(fx.port, 'transmitter', 'two-binds')).toBe(CommandStatus.ESME_RBINDFAIL);
    await first.unbind();
    expect(await bindStatus(fx.port, 'transmitter', 'two-binds')).toBe(CommandStatus.ESME_ROK);
  });
});

describe('submit', () => {
  it('publishes to sms.submit.<account> with Nats-Msg-Id = message id, then answers ESME_ROK with it', async () => {
    const session = await bind('transmitter', 'acme');
    const before = (await storedSubmits(nats)).length;
    const response = await submit(session, {
      destAddrTon: 0,
      registeredDelivery: 1,
      priorityFlag: 2,
      tlvs: { userMessageReference: 0x1234 },
    });
    expect(response.commandStatus).toBe(CommandStatus.ESME_ROK);
    expect(response.messageId).toMatch(/^\d{1,19}$/);
    expect(parseMessageId(response.messageId).nodeId).toBe(fx.ids.nodeId);
    const stored = (await storedSubmits(nats)).slice(before);
    expect(stored).toHaveLength(1);
    const [s] = stored;
    expect(s?.subject).toBe(submitSubject('acme'));
    expect(s?.msgId).toBe(response.messageId);
    expect(s?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(s?.message).toMatchObject({
      messageId: response.messageId,
      systemId: 'acme',
      edgePod: 'edge-test',
      source: { ton: 5, addr: 'smsgw' },
      destination: { ton: 1, npi: 1, addr: '4512345678' },
      priorityFlag: 2,
      registeredDelivery: 1,
      dataCoding: 0,
      segments: 1,
      flash: false,
      userMessageReference: Uint8Array.of(0x12, 0x34),
      traceparent: s?.traceparent,
    });
    expect(Buffer.from(s?.message.payload ?? []).toString()).toBe('Hello');
    expect(Header.msgId).toBe('Nats-Msg-Id');
  });

  it('keeps many publishes in flight per session and every OK id is stored once', async () => {
    const session = await bindClient(fx.port, 'transceiver', 'acme', undefined, { windowSize: 50 });
    open.push(session);
    // Samples the publishes awaiting their PubAck on every event-loop turn, to prove they overlap.
    let maxConcurrent = 0;
    let sampling = true;
    const sample = (): void => {
      maxConcurrent = Math.max(maxConcurrent, fx.edge.publishesInFlight);
      if (sampling) setImmediate(sample);
    };
    sample();
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => submit(session, { shortMessage: Buffer.from(`m${i}`) })),
    ).finally(() => {
      sampling = false;
    });
    expect(responses.every((r) => r.commandStatus === CommandStatus.ESME_ROK)).toBe(true);
    const ids = responses.map((r) => r.messageId);
    expect(new Set(ids).size).toBe(200);
    expect(maxConcurrent).toBeGreaterThan(1);
    const stored = new Set((await storedSubmits(nats)).map((s) => s.message.messageId));
    for (const id of ids) expect(stored.has(id)).toBe(true);
  });

  it('answers unsupported commands with ESME_RINVCMDID', async () => {
    const session = await bind('transmitter', 'acme');
    const requests = [
      createPdu('query_sm', { messageId: '1' }),
      createPdu('cancel_sm', { messageId: '1' }),
      createPdu('replace_sm', { messageId: '1' }),
      createPdu('data_sm', { destinationAddr: '4512345678' }),
      createPdu('submit_multi', {
        destAddresses: [{ destFlag: 1, destAddrTon: 1, destAddrNpi: 1, destinationAddr: '4512345678' }],
      }),
    ];
    for (const pdu of requests) {
      const response = await session.request(pdu);
      expect(response.commandStatus, pdu.command).toBe(CommandStatus.ESME_RINVCMDID);
    }
  });
});

describe('presence', () => {
  it('announces an account while a receiver is bound and withdraws it with the last one', async () => {
    const kv = nats.topology.kv.presence;
    const key = presenceKey('acme', 'edge-test');
    const rx = await bind('receiver', 'acme');
    const trx = await bind('transceiver', 'acme');
    await fx.presence.settled();
    const entry = await kv.get(key);
    expect(entry?.operation).toBe('PUT');
    expect(entry?.json()).toMatchObject({ pod: 'edge-test', grpcAddress: '127.0.0.1:9091' });
    await rx.unbind();
    await fx.presence.settled();
    expect((await kv.get(key))?.operation).toBe('PUT');
    trx.close();
    await trx.closed;
    // The edge sees the socket close on its own time (later on a loaded machine): wait for the withdrawal itself.
    await waitFor('the presence key withdrawn', async () => {
      const after = await kv.get(key);
      return after === null || after.operation !== 'PUT';
    });
  });

  it('does not announce transmitters', async () => {
    await bind('transmitter', 'two-binds');
    await fx.presence.settled();
    expect(fx.presence.accounts.has('two-binds')).toBe(false);
  });
});
