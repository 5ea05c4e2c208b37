/** The npm `smpp` package (node-smpp) as a client: binds, submits, long messages, unsupported commands. */
import smpp from 'smpp';
import { CommandStatus, decodeGsm7 } from '@smsgw/smpp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  TEST_PASSWORD,
  accountInput,
  startEdge,
  startNatsFixture,
  storedSubmits,
  type EdgeFixture,
  type NatsFixture,
} from './edge.test-support.ts';

let nats: NatsFixture;
let fx: EdgeFixture;
let session: smpp.Session;

/** Sends a PDU with node-smpp and resolves with its response. */
function send(command: string, options: smpp.PduOptions): Promise<smpp.PDU> {
  return new Promise((resolve) => {
    session.send(new smpp.PDU(command, options), resolve);
  });
}

beforeAll(async () => {
  nats = await startNatsFixture();
  await nats.store.create(accountInput('acme'));
  fx = await startEdge(nats);
  session = smpp.connect({ url: `smpp://127.0.0.1:${fx.port}`, auto_enquire_link_period: 0 });
  session.on('error', () => undefined);
  await new Promise((resolve) => session.once('connect', resolve));
});

afterAll(async () => {
  session.destroy();
  await fx.stop();
  await nats.stop();
});

it('binds as transceiver and gets a message id that is stored', async () => {
  const bind = await send('bind_transceiver', { system_id: 'acme', password: TEST_PASSWORD });
  expect(bind.command_status).toBe(CommandStatus.ESME_ROK);
  const response = await send('submit_sm', {
    destination_addr: '4512345678',
    source_addr: 'smsgw',
    data_coding: 0,
    short_message: 'Hello from node-smpp',
  });
  expect(response.command_status).toBe(CommandStatus.ESME_ROK);
  const messageId = response['message_id'] as string;
  expect(messageId).toMatch(/^\d{1,19}$/);
  expect((await storedSubmits(nats)).some((s) => s.message.messageId === messageId)).toBe(true);
});

it('accepts node-smpp text without data_coding (it sends data_coding 1, IA5), carried as GSM-7', async () => {
  const response = await send('submit_sm', {
    destination_addr: '4512345678',
    short_message: 'Hello IA5, 42!',
  });
  expect(response.command_status).toBe(CommandStatus.ESME_ROK);
  const messageId = response['message_id'] as string;
  const stored = (await storedSubmits(nats)).find((s) => s.message.messageId === messageId)?.message;
  expect(stored?.dataCoding).toBe(0);
  expect(decodeGsm7(stored?.payload ?? new Uint8Array())).toBe('Hello IA5, 42!');
});

it('accepts a long UCS-2 message in message_payload', async () => {
  const response = await send('submit_sm', {
    destination_addr: '4512345678',
    data_coding: 8,
    message_payload: Buffer.from('Привет, мир! '.repeat(20), 'utf16le').swap16(),
  });
  expect(response.command_status).toBe(CommandStatus.ESME_ROK);
  const stored = (await storedSubmits(nats)).find((s) => s.message.messageId === response['message_id']);
  expect(stored?.message.segments).toBe(4);
});

it('answers query_sm with ESME_RINVCMDID and a schedule with ESME_RINVSCHED', async () => {
  expect((await send('query_sm', { message_id: '1' })).command_status).toBe(CommandStatus.ESME_RINVCMDID);
  const scheduled = await send('submit_sm', {
    destination_addr: '4512345678',
    short_message: 'later',
    schedule_delivery_time: '000001000000000R',
  });
  expect(scheduled.command_status).toBe(CommandStatus.ESME_RINVSCHED);
});
