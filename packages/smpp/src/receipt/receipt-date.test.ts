import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PduEncodeError } from '../errors.ts';
import { formatReceiptDate, parseReceiptDate } from './receipt-date.ts';

describe('formatReceiptDate', () => {
  it('writes YYMMDDhhmm in UTC', () => {
    expect(formatReceiptDate(new Date('2020-11-18T10:54:59.999Z'))).toBe('2011181054');
    expect(formatReceiptDate(new Date('2010-02-10T17:30:00Z'))).toBe('1002101730');
    expect(formatReceiptDate(new Date('2001-01-01T00:00:00Z'))).toBe('0101010000');
    expect(formatReceiptDate(new Date('2099-12-31T23:59:00Z'))).toBe('9912312359');
  });

  it('does not depend on the local time zone', () => {
    // 23:30 at UTC-05:00 is the next day in UTC.
    expect(formatReceiptDate(new Date('2024-02-28T23:30:00-05:00'))).toBe('2402290430');
  });

  it('writes any year as its last two digits', () => {
    expect(formatReceiptDate(new Date('1999-12-31T23:59:00Z'))).toBe('9912312359');
    expect(formatReceiptDate(new Date('-000001-12-31T23:59:00Z'))).toBe('9912312359');
    expect(formatReceiptDate(new Date('+010000-01-01T00:00:00Z'))).toBe('0001010000');
  });

  it('rejects an invalid Date', () => {
    expect(() => formatReceiptDate(new Date(Number.NaN))).toThrow(PduEncodeError);
  });
});

describe('parseReceiptDate', () => {
  it.each([
    ['2011181054', '2020-11-18T10:54:00.000Z'],
    ['1002101730', '2010-02-10T17:30:00.000Z'],
    // ksmppd: 12 digits with seconds.
    ['201118105412', '2020-11-18T10:54:12.000Z'],
    ['20201118105412', '2020-11-18T10:54:12.000Z'],
    ['2402290000', '2024-02-29T00:00:00.000Z'],
    ['00010101000000', '0001-01-01T00:00:00.000Z'],
  ])('%s → %s', (value, iso) => {
    expect(parseReceiptDate(value)?.toISOString()).toBe(iso);
  });

  it.each([
    '',
    '201118105',
    '20111810541',
    '2011181054123',
    '202011181054123',
    '20111810a4',
    '2013181054',
    '2000181054',
    '2011001054',
    '2302290000',
    '2004310000',
    '2011182400',
    '2011181060',
    '201118105460',
    ' 2011181054',
    '+011181054',
    '２０１１１８１０５４',
  ])('%j is not a date', (value) => {
    expect(parseReceiptDate(value)).toBeUndefined();
  });

  it('round-trips any minute of 2000..2099', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const minute = new Date(Math.floor(date.getTime() / 60_000) * 60_000);
          expect(parseReceiptDate(formatReceiptDate(date))).toEqual(minute);
        },
      ),
    );
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^\d{10,14}$/), fc.string()), (value) => {
        const date = parseReceiptDate(value);
        if (date !== undefined) expect(Number.isFinite(date.getTime())).toBe(true);
      }),
    );
  });
});
