/**
 * Every submit_sm rule over real sockets: accepted codings and long-message
 * forms are published with what the router needs, each rejection comes with
 * its command_status and publishes nothing.
 */
import { timestampFromMs, timestampMs } from '@bufbuild/protobuf/wkt';
import { ConcatenationScheme } from '@smsgw/proto';
import { CommandStatus, decodeGsm7, type PduInit, type SmppSession } from '@smsgw/smpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountInput,
  bindClient,
  startEdge,
  startNatsFixture,
  storedSubmits,
  submit,
  type EdgeFixture,
  type NatsFixture,
  type StoredSubmit,
} from '../edge.test-support.ts';

const S = CommandStatus;
let nats: NatsFixture;
let fx: EdgeFixture;
let tx: SmppSession;

beforeAll(async () => {
  nats = await startNatsFixture();
  await nats.store.create(
    accountInput('acme', { maxSubmitsPerSecond: 100_000, messageClasses: ['standard', 'premium'] }),
  );
  await nats.store.create(accountInput('slow', { maxSubmitsPerSecond: 5 }));
  fx = await startEdge(nats);
  tx = await bindClient(fx.port, 'transmitter', 'acme');
});

afterAll(async () => {
  tx.close();
  await fx.stop();
  await nats.stop();
});

/** Submits and returns the stored record of an accepted submit. */
async function accepted(init: PduInit<'submit_sm'>): Promise<StoredSubmit> {
  const response = await submit(tx, init);
  expect(response.commandStatus, `status 0x${response.commandStatus.toString(16)}`).toBe(S.ESME_ROK);
  const stored = (await storedSubmits(nats)).find((s) => s.message.messageId === response.messageId);
  if (stored === undefined) throw new Error(`message ${response.messageId} not stored`);
  return stored;
}

/** Submits and returns the status; checks nothing was published. */
async function rejected(init: PduInit<'submit_sm'>, session = tx): Promise<number> {
  const before = (await storedSubmits(nats)).length;
  const response = await submit(session, init);
  expect((await storedSubmits(nats)).length).toBe(before);
  return response.commandStatus;
}

const ucs2 = (text: string): Buffer => Buffer.from(text, 'utf16le').swap16();

describe('accepted data codings', () => {
  it.each([
    [0x00, Buffer.from('Hello @ world'), false],
    [0x02, Buffer.from([0x00, 0xff, 0x80]), false],
    [0x03, Buffer.from('Grüße', 'latin1'), false],
    [0x04, Buffer.from([0xde, 0xad]), false],
    [0x06, Buffer.from([0xb0, 0xb1]), false],
    [0x08, ucs2('Hi 😀'), false],
    [0x18, ucs2('Flash'), true],
    [0xf0, Buffer.from('Flash'), true],
  ])('data_coding 0x%s is published as sent', async (dataCoding, shortMessage, flash) => {
    const { message } = await accepted({ dataCoding, shortMessage });
    expect(message.dataCoding).toBe(dataCoding);
    expect(Buffer.from(message.payload).equals(shortMessage)).toBe(true);
    expect(message.flash).toBe(flash);
    expect(message.segments).toBe(1);
  });

  it('marks dest_addr_subunit 1 as flash', async () => {
    expect((await accepted({ tlvs: { destAddrSubunit: 1 } })).message.flash).toBe(true);
  });
});

describe('long messages', () => {
  it('accepts message_payload and counts its segments (GSM-7 1000 chars: 7 parts)', async () => {
    const payload = Buffer.alloc(1000, 'a');
    const { message } = await accepted({
      shortMessage: new Uint8Array(0),
      tlvs: { messagePayload: payload },
    });
    expect(message.segments).toBe(7);
    expect(message.payload.length).toBe(1000);
    expect(message.concatenation).toBeUndefined();
  });

  it('rejects a message_payload needing more than 255 parts with ESME_RINVMSGLEN', async () => {
    const payload = Buffer.alloc(65_534, 0x41);
    expect(await rejected({ dataCoding: 0x04, tlvs: { messagePayload: payload } })).toBe(S.ESME_RINVMSGLEN);
  });

  it('accepts the largest message_payload that fits 255 parts (binary, 255 × 134 octets)', async () => {
    const payload = Buffer.alloc(255 * 134, 0x41);
    const { message } = await accepted({ dataCoding: 0x04, tlvs: { messagePayload: payload } });
    expect(message.segments).toBe(255);
  });

  it('accepts UDH parts (esm_class UDHI) and records their concatenation', async () => {
    for (const seq of [1, 2, 3]) {
      const udh = [0x05, 0x00, 0x03, 0x2a, 0x03, seq];
      const { message } = await accepted({ esmClass: 0x40, shortMessage: Buffer.from([...udh, 0x48, 0x69]) });
      expect(message.concatenation).toMatchObject({
        scheme: ConcatenationScheme.UDH_8BIT,
        reference: 0x2a,
        total: 3,
        seq,
      });
      expect(message.esmClass).toBe(0x40);
    }
    const wide = [0x06, 0x08, 0x04, 0x12, 0x34, 0x02, 0x01];
    const { message } = await accepted({
      esmClass: 0x40,
      dataCoding: 8,
      shortMessage: Buffer.from([...wide, 0x00, 0x48]),
    });
    expect(message.concatenation).toMatchObject({
      scheme: ConcatenationScheme.UDH_16BIT,
      reference: 0x1234,
      total: 2,
      seq: 1,
    });
  });

  it('accepts data_coding 1 (IA5) when it is 7-bit ASCII, and carries it as GSM-7 text', async () => {
    const { message } = await accepted({ dataCoding: 1, shortMessage: Buffer.from('Hi {x} @ 5$', 'latin1') });
    expect(message.dataCoding).toBe(0);
    expect(decodeGsm7(message.payload)).toBe('Hi {x} @ 5$');
    const udh = [0x05, 0x00, 0x03, 0x2a, 0x02, 0x01];
    const part = await accepted({ esmClass: 0x40, dataCoding: 1, shortMessage: Buffer.from([...udh, 0x5f]) });
    expect([...part.message.payload]).toEqual([...udh, 0x11]);
    expect(part.message.dataCoding).toBe(0);
  });

  it('accepts SAR parts and records their concatenation', async () => {
    const { message } = await accepted({
      tlvs: { sarMsgRefNum: 700, sarTotalSegments: 2, sarSegmentSeqnum: 2 },
    });
    expect(message.concatenation).toMatchObject({
      scheme: ConcatenationScheme.SAR,
      reference: 700,
      total: 2,
      seq: 2,
    });
  });
});

describe('rejections', () => {
  it.each([
    ['destination TON 2', { destAddrTon: 2 }, S.ESME_RINVDSTTON],
    [
      'data_coding 1 (IA5) with an octet ≥ 0x80',
      { dataCoding: 1, shortMessage: Buffer.from([0x41, 0xe9]) },
      S.ESME_RINVDCS,
    ],
    [
      'data_coding 1 (IA5) with a character GSM-7 lacks',
      { dataCoding: 1, shortMessage: Buffer.from('a`b') },
      S.ESME_RINVDCS,
    ],
    ['data_coding 5', { dataCoding: 5 }, S.ESME_RINVDCS],
    ['data_coding 0x10', { dataCoding: 0x10 }, S.ESME_RINVDCS],
    ['GSM-7 octet ≥ 0x80', { shortMessage: Buffer.from([0x41, 0x80]) }, S.ESME_RINVDCS],
    [
      'UCS-2 of odd length',
      { dataCoding: 8, shortMessage: Buffer.from([0x00, 0x41, 0x00]) },
      S.ESME_RINVMSGLEN,
    ],
    [
      'UCS-2 lone surrogate',
      { dataCoding: 8, shortMessage: Buffer.from([0xd8, 0x3d, 0x00, 0x41]) },
      S.ESME_RINVDCS,
    ],
    ['schedule_delivery_time', { scheduleDeliveryTime: '000001000000000R' }, S.ESME_RINVSCHED],
    ['validity_period month 13', { validityPeriod: '241318105400004+' }, S.ESME_RINVEXPIRY],
    [
      'message_payload with short_message',
      { shortMessage: Buffer.from('x'), tlvs: { messagePayload: Buffer.from('x') } },
      S.ESME_RINVPARLEN,
    ],
    ['message_class not allowed', { tlvs: { messageClass: Buffer.from('secret') } }, S.ESME_RINVOPTPARAMVAL],
    ['priority_flag 4', { priorityFlag: 4 }, S.ESME_RINVPRTFLG],
    ['malformed UDH', { esmClass: 0x40, shortMessage: Buffer.from([0x09, 0x00, 0x03]) }, S.ESME_RINVMSGLEN],
    ['incomplete SAR', { tlvs: { sarMsgRefNum: 1, sarTotalSegments: 2 } }, S.ESME_RMISSINGOPTPARAM],
    [
      'SAR sequence above total',
      { tlvs: { sarMsgRefNum: 1, sarTotalSegments: 2, sarSegmentSeqnum: 3 } },
      S.ESME_RINVOPTPARAMVAL,
    ],
    [
      'malformed TLV (user_message_reference of 1 octet)',
      { tlvs: { unknown: [{ tag: 0x0204, value: Uint8Array.of(1) }] } },
      S.ESME_RINVPARLEN,
    ],
  ] as const)('%s', async (_name, init, status) => {
    expect(await rejected(init as PduInit<'submit_sm'>)).toBe(status);
  });

  it('accepts an allowed message_class and records it', async () => {
    expect((await accepted({ tlvs: { messageClass: Buffer.from('premium') } })).message.messageClass).toBe(
      'premium',
    );
  });

  it('records a relative validity_period as expires_at = accepted_at + the period', async () => {
    const { message } = await accepted({ validityPeriod: '000001000000000R' });
    expect(message.validityPeriod).toBe('000001000000000R');
    expect(timestampMs(message.expiresAt ?? timestampFromMs(0))).toBe(
      timestampMs(message.acceptedAt ?? timestampFromMs(0)) + 86_400_000,
    );
  });

  it('answers submit_sm on a receiver bind with ESME_RINVBNDSTS', async () => {
    const rx = await bindClient(fx.port, 'receiver', 'acme');
    try {
      await expect(submit(rx)).rejects.toMatchObject({ commandStatus: S.ESME_RINVBNDSTS });
    } finally {
      rx.close();
    }
  });

  it('throttles an account above maxSubmitsPerSecond with ESME_RTHROTTLED', async () => {
    const session = await bindClient(fx.port, 'transmitter', 'slow', undefined, { windowSize: 30 });
    try {
      const responses = await Promise.all(Array.from({ length: 30 }, () => submit(session)));
      const ok = responses.filter((r) => r.commandStatus === S.ESME_ROK).length;
      const throttled = responses.filter((r) => r.commandStatus === S.ESME_RTHROTTLED).length;
      expect(ok + throttled).toBe(30);
      expect(ok).toBeGreaterThanOrEqual(5);
      expect(throttled).toBeGreaterThan(0);
    } finally {
      session.close();
    }
  });
});
