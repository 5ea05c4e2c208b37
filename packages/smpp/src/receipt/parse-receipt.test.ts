import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageState, messageStateOfStat, receiptStatOf } from '../constants/message-state.ts';
import { errFieldOf } from './err-field.ts';
import { formatReceipt } from './format-receipt.ts';
import { parseReceipt } from './parse-receipt.ts';
import type { ParsedReceipt } from './parse-receipt.ts';
import { receiptTextOf } from './receipt-text.ts';

/** Any UTF-16 code point, lone surrogates included (fast-check's 'binary' unit is slow to warm up). */
const anyChar = fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c));

/** docs/smpp-reference.md §8.1 [CH]: cloudhopper's deliver_sm receipt (186 octets). */
const cloudhopperReceipt = Buffer.from(
  '000000BA00000005000000000000000200010134343935313336313932300001013430343034000400000000000000006E69643A30303539313133393738207375623A30303120646C7672643A303031207375626D697420646174653A3130303231303137333020646F6E6520646174653A3130303231303137333120737461743A44454C49565244206572723A30303020746578743A4024232125262F3A000E0001010006000101001E000833383630316661000427000102',
  'hex',
);

/** A non-empty run without spaces or control characters (what the parser calls a word). */
function isWord(s: string): boolean {
  return s.length > 0 && Array.from(s).every((ch) => ch.charCodeAt(0) > 0x20);
}

function utc(iso: string): Date {
  return new Date(`${iso}Z`);
}

describe('parseReceipt', () => {
  it('reads the receipt inside cloudhopper’s deliver_sm (docs/smpp-reference.md §8.1)', () => {
    const start = cloudhopperReceipt.indexOf('id:');
    const smLength = cloudhopperReceipt[start - 1] ?? 0;
    const text = cloudhopperReceipt.subarray(start, start + smLength).toString('latin1');
    expect(text).toBe(
      'id:0059113978 sub:001 dlvrd:001 submit date:1002101730 done date:1002101731 stat:DELIVRD err:000 text:@$#!%&/:',
    );
    expect(parseReceipt(text)).toEqual({
      id: '0059113978',
      sub: 1,
      dlvrd: 1,
      submitDate: utc('2010-02-10T17:30'),
      doneDate: utc('2010-02-10T17:31'),
      stat: 'DELIVRD',
      messageState: MessageState.DELIVERED,
      err: '000',
      text: '@$#!%&/:',
    });
  });

  it('reads own vector 7 (docs/smpp-reference.md §8.2)', () => {
    expect(
      parseReceipt(
        'id:1390125333 sub:001 dlvrd:001 submit date:2011181054 done date:2011181055 stat:DELIVRD err:000 text:Hello',
      ),
    ).toEqual({
      id: '1390125333',
      sub: 1,
      dlvrd: 1,
      submitDate: utc('2020-11-18T10:54'),
      doneDate: utc('2020-11-18T10:55'),
      stat: 'DELIVRD',
      messageState: MessageState.DELIVERED,
      err: '000',
      text: 'Hello',
    });
  });

  const variants: [string, string, ParsedReceipt][] = [
    [
      'GatewayAPI failure (docs/smpp-reference.md §7)',
      'id:1390125333 sub:001 dlvrd:000 submit date:2011181054 done date:2011181054 stat:UNDELIV err:019 text:user_message_reference',
      {
        id: '1390125333',
        sub: 1,
        dlvrd: 0,
        submitDate: utc('2020-11-18T10:54'),
        doneDate: utc('2020-11-18T10:54'),
        stat: 'UNDELIV',
        messageState: MessageState.UNDELIVERABLE,
        err: '019',
        text: 'user_message_reference',
      },
    ],
    [
      'Kannel-style hex id, intermediate',
      'id:38601fa sub:001 dlvrd:000 submit date:2402291200 done date:2402291201 stat:ENROUTE err:000 text:',
      {
        id: '38601fa',
        sub: 1,
        dlvrd: 0,
        submitDate: utc('2024-02-29T12:00'),
        doneDate: utc('2024-02-29T12:01'),
        stat: 'ENROUTE',
        messageState: MessageState.ENROUTE,
        err: '000',
        text: '',
      },
    ],
    [
      'Jasmin server: no sub, dlvrd or text, UUID id',
      'id:b8e1f0c8-3a9c-4b0f-9b5b-1f2a3c4d5e6f submit date:2011181054 done date:2011181055 stat:DELIVRD err:000',
      {
        id: 'b8e1f0c8-3a9c-4b0f-9b5b-1f2a3c4d5e6f',
        submitDate: utc('2020-11-18T10:54'),
        doneDate: utc('2020-11-18T10:55'),
        stat: 'DELIVRD',
        messageState: MessageState.DELIVERED,
        err: '000',
      },
    ],
    [
      'ksmppd: 12-digit dates, 12-character text',
      'id:1390125333 sub:001 dlvrd:001 submit date:201118105412 done date:201118105530 stat:DELIVRD err:000 text:Hello world,',
      {
        id: '1390125333',
        sub: 1,
        dlvrd: 1,
        submitDate: utc('2020-11-18T10:54:12'),
        doneDate: utc('2020-11-18T10:55:30'),
        stat: 'DELIVRD',
        messageState: MessageState.DELIVERED,
        err: '000',
        text: 'Hello world,',
      },
    ],
    [
      'upper-case labels, 14-digit dates',
      'ID:ABC123 SUB:001 DLVRD:000 SUBMIT DATE:20201118105400 DONE DATE:20201118105459 STAT:EXPIRED ERR:027 TEXT:Hi',
      {
        id: 'ABC123',
        sub: 1,
        dlvrd: 0,
        submitDate: utc('2020-11-18T10:54:00'),
        doneDate: utc('2020-11-18T10:54:59'),
        stat: 'EXPIRED',
        messageState: MessageState.EXPIRED,
        err: '027',
        text: 'Hi',
      },
    ],
    [
      'spec template: capitalised Text:',
      'id:0000000001 sub:001 dlvrd:001 submit date:9912312359 done date:0001010000 stat:DELIVRD err:0 Text:Your code is 1234',
      {
        id: '0000000001',
        sub: 1,
        dlvrd: 1,
        submitDate: utc('2099-12-31T23:59'),
        doneDate: utc('2000-01-01T00:00'),
        stat: 'DELIVRD',
        messageState: MessageState.DELIVERED,
        err: '0',
        text: 'Your code is 1234',
      },
    ],
    [
      'extra spaces everywhere, underscores in date labels',
      '  id: 42   sub:1  dlvrd:0 submit_date:2011181054   done  date : 2011181055 stat :  delivered err:000   text:  two  spaces ',
      {
        id: '42',
        sub: 1,
        dlvrd: 0,
        submitDate: utc('2020-11-18T10:54'),
        doneDate: utc('2020-11-18T10:55'),
        stat: 'delivered',
        messageState: MessageState.DELIVERED,
        err: '000',
        text: '  two  spaces ',
      },
    ],
    [
      'stat variants: REJECTED, unknown vendor fields skipped',
      'id:77 sub:001 dlvrd:000 submit date:2011181054 done date:2011181054 mcc:238 mnc:01 stat:REJECTED err:0x1 text:x',
      {
        id: '77',
        sub: 1,
        dlvrd: 0,
        submitDate: utc('2020-11-18T10:54'),
        doneDate: utc('2020-11-18T10:54'),
        stat: 'REJECTED',
        messageState: MessageState.REJECTED,
        err: '0x1',
        text: 'x',
      },
    ],
    [
      'Kannel buffered: ACKED',
      'id:9 stat:ACKED',
      { id: '9', stat: 'ACKED', messageState: MessageState.ENROUTE },
    ],
    [
      'Kannel buffered: BUFFRED',
      'id:9 stat:BUFFRED',
      { id: '9', stat: 'BUFFRED', messageState: MessageState.ENROUTE },
    ],
    ['an unknown stat is kept raw', 'id:9 stat:PDLIVRD', { id: '9', stat: 'PDLIVRD' }],
    [
      'stat without an id',
      'stat:UNDELIV err:001',
      { stat: 'UNDELIV', messageState: MessageState.UNDELIVERABLE, err: '001' },
    ],
    [
      'empty values are absent, and never swallow the next label',
      'id:5 sub: dlvrd: submit date: done date: stat: err: text:',
      { id: '5', text: '' },
    ],
    [
      'unreadable counts and dates are absent',
      'id:5 sub:one dlvrd:-1 submit date:2013181054 done date:20111810 stat:DELIVRD',
      { id: '5', stat: 'DELIVRD', messageState: MessageState.DELIVERED },
    ],
    [
      'labels inside the text are text',
      'id:5 stat:DELIVRD text:id:6 stat:UNDELIV err:001',
      { id: '5', stat: 'DELIVRD', messageState: MessageState.DELIVERED, text: 'id:6 stat:UNDELIV err:001' },
    ],
    [
      'the first of repeated labels wins',
      'id:5 id:6 stat:DELIVRD stat:UNDELIV',
      { id: '5', stat: 'DELIVRD', messageState: 2 },
    ],
    [
      'an id that looks like a label',
      'id:sub:001 stat:DELIVRD',
      { id: 'sub:001', stat: 'DELIVRD', messageState: 2 },
    ],
    [
      'C-string padding and line breaks',
      'id:5\r\nstat:DELIVRD\terr:000 text:ok\u0000\u0000',
      { id: '5', stat: 'DELIVRD', messageState: 2, err: '000', text: 'ok' },
    ],
  ];

  it.each(variants)('%s', (_name, text, expected) => {
    expect(parseReceipt(text)).toEqual(expected);
  });

  it.each([
    '',
    '   ',
    'Hello, how are you?',
    'sub:001 dlvrd:001 submit date:2011181054 done date:2011181055 err:000',
    'text:id:123 stat:DELIVRD',
    'id: stat:',
    'xid:123 status:DELIVRD',
    '\u0000\u0000',
  ])('%j is not a receipt', (text) => {
    expect(parseReceipt(text)).toBeUndefined();
  });

  it('reads back everything formatReceipt writes', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[!-~]{1,64}$/),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 999 }),
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -1, max: 12 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.string({
          unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
          maxLength: 40,
        }),
        (id, sub, dlvrd, submitDate, doneDate, messageState, errorCode, text) => {
          const receipt = formatReceipt({
            id,
            sub,
            dlvrd,
            submitDate,
            doneDate,
            messageState,
            errorCode,
            text,
          });
          const toMinute = (d: Date) => new Date(Math.floor(d.getTime() / 60_000) * 60_000);
          const stat = receiptStatOf(messageState);
          expect(parseReceipt(receipt)).toEqual({
            id,
            sub,
            dlvrd,
            submitDate: toMinute(submitDate),
            doneDate: toMinute(doneDate),
            stat,
            messageState: messageStateOfStat(stat),
            err: errFieldOf(errorCode),
            text: receiptTextOf(text),
          });
        },
      ),
    );
  });

  it('never throws, and what it returns is a receipt', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        'id:',
        'ID :',
        'sub:',
        'dlvrd:',
        'submit date:',
        'done_date:',
        'stat:',
        'err:',
        'text:',
        'Text:',
        ' ',
        '  ',
        '\t',
        '\r\n',
        '\u0000',
        'DELIVRD',
        'acked',
        '001',
        '2011181054',
        '201118105412',
        '20201118105412',
        ':',
      ),
      fc.string({ unit: anyChar, maxLength: 8 }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: anyChar, maxLength: 300 }),
          fc.array(piece, { maxLength: 30 }).map((p) => p.join('')),
        ),
        (text) => {
          const receipt = parseReceipt(text);
          if (receipt === undefined) return;
          expect(receipt.id !== undefined || receipt.stat !== undefined).toBe(true);
          if (receipt.id !== undefined) expect(isWord(receipt.id)).toBe(true);
          if (receipt.stat !== undefined) expect(isWord(receipt.stat)).toBe(true);
          if (receipt.submitDate !== undefined)
            expect(Number.isFinite(receipt.submitDate.getTime())).toBe(true);
          if (receipt.doneDate !== undefined) expect(Number.isFinite(receipt.doneDate.getTime())).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
