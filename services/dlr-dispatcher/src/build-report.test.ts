import { timestampDate } from '@bufbuild/protobuf/wkt';
import { create } from '@bufbuild/protobuf';
import { MessageState, NetworkErrorSchema, NetworkType } from '@smsgw/proto';
import { parseReceipt } from '@smsgw/smpp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildReport, reportIdOf } from './build-report.ts';
import { makeEnvelope, makeStatus, TRACEPARENT } from './dispatcher.test-support.ts';
import { PoisonStatusError } from './errors.ts';
import { receiptBytesOf } from './receipt-bytes.ts';
import { referenceTextOf } from './reference-text.ts';

const NOW = new Date('2020-11-18T11:00:00Z');
const ascii = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');
const FINAL = 0x01;
const FAILURE_ONLY = 0x02;
const INTERMEDIATE = 0x10;

describe('buildReport', () => {
  it('builds a DELIVRD receipt exactly as docs/architecture.md says, addresses swapped, with the TLVs', () => {
    const envelope = makeEnvelope('1390125333', { userMessageReference: Uint8Array.of(0x30, 0x39) });
    const report = buildReport(envelope, makeStatus('1390125333'), NOW);
    expect(ascii(report?.shortMessage ?? new Uint8Array())).toBe(
      'id:1390125333 sub:001 dlvrd:000 submit date:2011181054 done date:2011181055 stat:DELIVRD err:000 text:12345',
    );
    expect(report).toMatchObject({
      reportId: '1390125333:2',
      systemId: 'acme',
      messageId: '1390125333',
      source: { ton: 1, npi: 1, addr: '4512345678' },
      destination: { ton: 5, npi: 0, addr: 'ExampleCo' },
      esmClass: 0x04,
      dataCoding: 0,
      receiptedMessageId: '1390125333',
      messageState: MessageState.DELIVERED,
      userMessageReference: Uint8Array.of(0x30, 0x39),
      traceparent: TRACEPARENT,
    });
    expect(report?.networkError).toBeUndefined();
    const createdAt = report?.createdAt;
    expect(createdAt === undefined ? undefined : timestampDate(createdAt)).toEqual(NOW);
  });

  it.each([
    ['UNDELIV', MessageState.UNDELIVERABLE, 0x107e, 'err:126'],
    ['UNDELIV', MessageState.UNDELIVERABLE, 0x1013, 'err:019'],
    ['EXPIRED', MessageState.EXPIRED, 0, 'err:000'],
    ['REJECTD', MessageState.REJECTED, 0x1902, 'err:999'],
  ])('builds %s with error code %i (%s)', (stat, state, errorCode, err) => {
    const report = buildReport(
      makeEnvelope('42'),
      makeStatus('42', {
        messageState: state,
        errorCode,
        networkError: create(NetworkErrorSchema, { type: NetworkType.GSM, code: 27 }),
      }),
      NOW,
    );
    const text = ascii(report?.shortMessage ?? new Uint8Array());
    expect(text).toContain(` stat:${stat} ${err} text:`);
    expect(text.endsWith('text:')).toBe(true);
    expect(report?.esmClass).toBe(0x04);
    expect(report?.reportId).toBe(`42:${state}`);
    expect(report?.networkError).toMatchObject({ type: NetworkType.GSM, code: 27 });
    expect(report?.userMessageReference).toBeUndefined();
  });

  it('sends ENROUTE only when intermediate notifications were asked for, with esm_class 0x04 like every receipt', () => {
    const enroute = makeStatus('7', { messageState: MessageState.ENROUTE, intermediate: true });
    expect(buildReport(makeEnvelope('7', { registeredDelivery: FINAL }), enroute, NOW)).toBeUndefined();
    const report = buildReport(makeEnvelope('7', { registeredDelivery: FINAL | INTERMEDIATE }), enroute, NOW);
    expect(report?.esmClass).toBe(0x04);
    expect(ascii(report?.shortMessage ?? new Uint8Array())).toContain('stat:ENROUTE');
  });

  it('honours failure-only and none', () => {
    const delivered = makeStatus('8');
    const failed = makeStatus('8', { messageState: MessageState.UNDELIVERABLE, errorCode: 0x107e });
    const failureOnly = makeEnvelope('8', { registeredDelivery: FAILURE_ONLY });
    expect(buildReport(failureOnly, delivered, NOW)).toBeUndefined();
    expect(buildReport(failureOnly, failed, NOW)?.reportId).toBe('8:5');
    const none = makeEnvelope('8', { registeredDelivery: 0 });
    expect(buildReport(none, delivered, NOW)).toBeUndefined();
    expect(buildReport(none, failed, NOW)).toBeUndefined();
  });

  it('puts the first 20 characters of a text reference in text: and the whole in the TLV', () => {
    const reference = new TextEncoder().encode('order-4711-abcdefghijklmnop');
    const report = buildReport(makeEnvelope('9', { userMessageReference: reference }), makeStatus('9'), NOW);
    expect(ascii(report?.shortMessage ?? new Uint8Array())).toMatch(/ text:order-4711-abcdefghi$/);
    expect(report?.userMessageReference).toEqual(reference);
  });

  it('terminates events without a state as poison', () => {
    const event = makeStatus('10', { messageState: MessageState.UNSPECIFIED });
    expect(() => buildReport(makeEnvelope('10'), event, NOW)).toThrow(PoisonStatusError);
  });

  it('round-trips through parseReceipt for any reference and error code', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.constantFrom(MessageState.DELIVERED, MessageState.UNDELIVERABLE, MessageState.REJECTED),
        (reference, errorCode, state) => {
          const report = buildReport(
            makeEnvelope('123', { userMessageReference: reference }),
            makeStatus('123', { messageState: state, errorCode }),
            NOW,
          );
          const bytes = report?.shortMessage ?? new Uint8Array();
          // GSM-7/ASCII-safe: no control characters, nothing above 0x7A.
          expect(bytes.every((b) => b >= 0x20 && b <= 0x7a)).toBe(true);
          const parsed = parseReceipt(ascii(bytes));
          expect(parsed?.id).toBe('123');
          expect(parsed?.err).toBe(String(Math.min(errorCode & 0xfff, 999)).padStart(3, '0'));
          expect(reportIdOf('123', state)).toBe(report?.reportId);
        },
      ),
    );
  });
});

describe('receiptBytesOf', () => {
  it('keeps the GSM-7/ASCII common set and turns everything else into ?', () => {
    expect(ascii(receiptBytesOf('id:1 text:a_b@c$d[e]é€😀'))).toBe('id:1 text:a?b?c?d?e????');
  });
});

describe('referenceTextOf', () => {
  it('reads 2 octets as the SMPP integer and other lengths as text', () => {
    expect(referenceTextOf(undefined)).toBe('');
    expect(referenceTextOf(Uint8Array.of(0x30, 0x39))).toBe('12345');
    expect(referenceTextOf(new TextEncoder().encode('ref'))).toBe('ref');
  });
});
