import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RECEIPT_TEXT_LENGTH, receiptTextOf } from './receipt-text.ts';

/** True for a C0 control, DEL or C1 control character. */
function isControl(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

describe('receiptTextOf', () => {
  it.each([
    ['', ''],
    ['Hello', 'Hello'],
    ['user_message_reference', 'user_message_referen'],
    ['exactly twenty chars', 'exactly twenty chars'],
    ['line1\r\nline2', 'line1  line2'],
    ['a\u0000b\tc\u007fd\u0085e', 'a b c d e'],
    ['😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀', '😀'.repeat(20)],
    ['1234567890123456789😀', '1234567890123456789😀'],
    ['a\ud800b', 'a?b'],
    ['a\udc00b', 'a?b'],
    ['end\ud83d', 'end?'],
    ['æøå €{}', 'æøå €{}'],
  ])('%j → %j', (text, expected) => {
    expect(receiptTextOf(text)).toBe(expected);
  });

  it('honours another maximum (ksmppd writes 12)', () => {
    expect(receiptTextOf('Hello world, again', 12)).toBe('Hello world,');
  });

  it('gives at most 20 code points, no control characters, no lone surrogates', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
        (text) => {
          const out = receiptTextOf(text);
          expect(Array.from(out).length).toBeLessThanOrEqual(RECEIPT_TEXT_LENGTH);
          expect(Array.from(out).some(isControl)).toBe(false);
          expect(out.isWellFormed()).toBe(true);
        },
      ),
    );
  });

  it('keeps a clean text as its first 20 code points', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const clean = Array.from(text).filter((ch) => !isControl(ch));
        expect(receiptTextOf(clean.join(''))).toBe(clean.slice(0, RECEIPT_TEXT_LENGTH).join(''));
      }),
    );
  });
});
