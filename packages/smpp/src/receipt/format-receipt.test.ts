import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { MessageState } from '../constants/message-state.ts';
import { PduEncodeError } from '../errors.ts';
import { formatReceipt } from './format-receipt.ts';
import type { ReceiptFields } from './format-receipt.ts';

/** Any UTF-16 code point, lone surrogates included (fast-check's 'binary' unit is slow to warm up). */
const anyChar = fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c));

/** docs/smpp-reference.md §8.2 own vector 7: deliver_sm receipt, seq 7 (186 octets). */
const vector7 = Buffer.from(
  '000000BA000000050000000000000007000101343531323334353637380005004578616D' +
    '706C65436F000400000000000000006B69643A31333930313235333333207375623A3030' +
    '3120646C7672643A303031207375626D697420646174653A323031313138313035342064' +
    '6F6E6520646174653A3230313131383130353520737461743A44454C4956524420657272' +
    '3A30303020746578743A48656C6C6F001E000B3133393031323533333300042700010204' +
    '230003030000',
  'hex',
);

/** The short_message of a receipt PDU: the octets after sm_length, found by their `id:` start. */
function shortMessageOf(pdu: Buffer): Buffer {
  const start = pdu.indexOf('id:');
  const length = pdu[start - 1] ?? 0;
  return pdu.subarray(start, start + length);
}

const base: ReceiptFields = {
  id: '1390125333',
  submitDate: new Date('2020-11-18T10:54:00Z'),
  doneDate: new Date('2020-11-18T10:54:00Z'),
  messageState: MessageState.DELIVERED,
};

describe('formatReceipt', () => {
  it('writes the GatewayAPI example exactly (docs/smpp-reference.md §7)', () => {
    expect(formatReceipt({ ...base, text: 'user_message_reference' })).toBe(
      'id:1390125333 sub:001 dlvrd:000 submit date:2011181054 done date:2011181054 stat:DELIVRD err:000 text:user_message_referen',
    );
  });

  it('writes the short_message of own vector 7 byte for byte (docs/smpp-reference.md §8.2)', () => {
    expect(vector7.length).toBe(186);
    const text = formatReceipt({
      ...base,
      dlvrd: 1,
      doneDate: new Date('2020-11-18T10:55:00Z'),
      text: 'Hello',
    });
    expect(text).toBe(
      'id:1390125333 sub:001 dlvrd:001 submit date:2011181054 done date:2011181055 stat:DELIVRD err:000 text:Hello',
    );
    expect(Buffer.from(text, 'latin1').equals(shortMessageOf(vector7))).toBe(true);
  });

  it('writes the failure example with err:019 for 0x1013', () => {
    expect(
      formatReceipt({ ...base, messageState: MessageState.UNDELIVERABLE, errorCode: 0x1013, text: 'ref-1' }),
    ).toBe(
      'id:1390125333 sub:001 dlvrd:000 submit date:2011181054 done date:2011181054 stat:UNDELIV err:019 text:ref-1',
    );
  });

  it('defaults sub 1, dlvrd 0, err 000 and an empty text', () => {
    expect(formatReceipt(base)).toBe(
      'id:1390125333 sub:001 dlvrd:000 submit date:2011181054 done date:2011181054 stat:DELIVRD err:000 text:',
    );
  });

  it.each([
    [MessageState.SCHEDULED, 'ENROUTE'],
    [MessageState.ENROUTE, 'ENROUTE'],
    [MessageState.EXPIRED, 'EXPIRED'],
    [MessageState.DELETED, 'DELETED'],
    [MessageState.ACCEPTED, 'ACCEPTD'],
    [MessageState.UNKNOWN, 'UNKNOWN'],
    [MessageState.REJECTED, 'REJECTD'],
    [MessageState.SKIPPED, 'SKIPPED'],
    [42, 'UNKNOWN'],
  ])('message_state %i → stat:%s', (messageState, stat) => {
    expect(formatReceipt({ ...base, messageState })).toContain(` stat:${stat} err:`);
  });

  it('writes err 999 for a code whose low 12 bits exceed 999 (GatewayAPI 0x1902)', () => {
    expect(formatReceipt({ ...base, messageState: MessageState.REJECTED, errorCode: 0x1902 })).toContain(
      ' stat:REJECTD err:999 text:',
    );
  });

  it('writes sub and dlvrd zero-padded', () => {
    expect(formatReceipt({ ...base, sub: 0, dlvrd: 999 })).toContain(
      'id:1390125333 sub:000 dlvrd:999 submit',
    );
    expect(formatReceipt({ ...base, sub: 12, dlvrd: 7 })).toContain(' sub:012 dlvrd:007 ');
  });

  it('keeps the receipt on one line', () => {
    expect(formatReceipt({ ...base, text: 'two\r\nlines\u0000' })).toMatch(/ text:two {2}lines $/);
  });

  it.each(['', ' ', '12 34', 'a\nb', 'æøå', 'x'.repeat(65), 'id\u0000'])('rejects id %j', (id) => {
    const thrown = (() => {
      try {
        formatReceipt({ ...base, id });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(PduEncodeError);
    expect((thrown as PduEncodeError).commandStatus).toBe(CommandStatus.ESME_RINVMSGID);
  });

  it('accepts a 64-character hex or UUID id', () => {
    expect(formatReceipt({ ...base, id: 'f'.repeat(64) })).toContain(`id:${'f'.repeat(64)} sub:`);
    expect(formatReceipt({ ...base, id: 'b8e1f0c8-3a9c-4b0f-9b5b-1f2a3c4d5e6f' })).toMatch(/^id:b8e1f0c8-/);
  });

  it.each([
    { sub: 1000 },
    { sub: -1 },
    { sub: 1.5 },
    { dlvrd: Number.NaN },
    { submitDate: new Date('nonsense') },
    { doneDate: new Date(Number.NaN) },
  ])('rejects %o', (bad) => {
    expect(() => formatReceipt({ ...base, ...bad })).toThrow(PduEncodeError);
  });

  it('always has the one-line shape receivers parse (Kannel sscanf, Jasmin regexes)', () => {
    const shape =
      /^id:[!-~]{1,64} sub:\d{3} dlvrd:\d{3} submit date:\d{10} done date:\d{10} stat:[A-Z]{7} err:\d{3} text:(?<text>.*)$/su;
    fc.assert(
      fc.property(
        fc.stringMatching(/^[!-~]{1,64}$/),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 999 }),
        fc.date({ noInvalidDate: true }),
        fc.integer({ min: -1, max: 12 }),
        fc.integer(),
        fc.string({ unit: anyChar, maxLength: 60 }),
        (id, sub, dlvrd, date, messageState, errorCode, text) => {
          const receipt = formatReceipt({
            id,
            sub,
            dlvrd,
            submitDate: date,
            doneDate: date,
            messageState,
            errorCode,
            text,
          });
          const match = shape.exec(receipt);
          expect(match).not.toBeNull();
          const written = match?.groups?.['text'] ?? '';
          expect(
            Array.from(written).some(
              (ch) => ch.charCodeAt(0) < 0x20 || (ch.charCodeAt(0) >= 0x7f && ch.charCodeAt(0) <= 0x9f),
            ),
          ).toBe(false);
        },
      ),
    );
  });
});
