import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { PduEncodeError, SmppError } from '../errors.ts';
import {
  SmppTimeError,
  addSmppDuration,
  formatRelativeSmppTime,
  formatSmppTime,
  parseScheduleDeliveryTime,
  parseSmppTime,
  parseValidityPeriod,
  type SmppDuration,
} from './smpp-time.ts';

const now = new Date('2024-01-31T12:00:00.000Z');
const zero: SmppDuration = { years: 0, months: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };

function absolute(value: string): string | undefined {
  const time = parseSmppTime(value, now);
  return time?.kind === 'absolute' ? time.date.toISOString() : undefined;
}

describe('parseSmppTime: absolute', () => {
  it.each([
    // Spec example (§7.1.1): 10:54 local at UTC+1.
    ['201118105400004+', '2020-11-18T09:54:00.000Z'],
    ['201118105400000+', '2020-11-18T10:54:00.000Z'],
    ['201118105400000-', '2020-11-18T10:54:00.000Z'],
    // Behind UTC: 10:54 at UTC-5 is 15:54Z.
    ['201118105400020-', '2020-11-18T15:54:00.000Z'],
    // Quarter hours: +05:45 (Nepal), -03:30 (Newfoundland).
    ['201118105400023+', '2020-11-18T05:09:00.000Z'],
    ['201118105400014-', '2020-11-18T14:24:00.000Z'],
    // Tenths of a second.
    ['201118105412700+', '2020-11-18T10:54:12.700Z'],
    ['201118105459900+', '2020-11-18T10:54:59.900Z'],
    // The offset may cross the day, month and year.
    ['240101003000048-', '2024-01-01T12:30:00.000Z'],
    ['240101003000048+', '2023-12-31T12:30:00.000Z'],
    // Two-digit years are 2000 + YY.
    ['000101000000000+', '2000-01-01T00:00:00.000Z'],
    ['991231235959900+', '2099-12-31T23:59:59.900Z'],
    ['380119031408000+', '2038-01-19T03:14:08.000Z'],
    ['240229000000000+', '2024-02-29T00:00:00.000Z'],
  ])('%s → %s', (value, iso) => {
    expect(absolute(value)).toBe(iso);
  });

  it('does not depend on now', () => {
    expect(parseSmppTime('201118105400004+', new Date(0))).toEqual(parseSmppTime('201118105400004+', now));
  });
});

describe('parseSmppTime: relative', () => {
  it('000001000000000R is one day from now', () => {
    expect(parseSmppTime('000001000000000R', now)).toEqual({
      kind: 'relative',
      date: new Date('2024-02-01T12:00:00.000Z'),
      duration: { ...zero, days: 1 },
    });
  });

  it.each([
    ['000000000000000R', '2024-01-31T12:00:00.000Z'],
    ['000000013045000R', '2024-01-31T13:30:45.000Z'],
    // Any two digits per field: 48 hours, 90 minutes.
    ['000000480000000R', '2024-02-02T12:00:00.000Z'],
    ['000000009000000R', '2024-01-31T13:30:00.000Z'],
    // Months step the calendar; 31 January + 1 month is clamped to 29 February 2024.
    ['000100000000000R', '2024-02-29T12:00:00.000Z'],
    ['010100000000000R', '2025-02-28T12:00:00.000Z'],
    ['001300000000000R', '2025-02-28T12:00:00.000Z'],
    ['990000000000000R', '2123-01-31T12:00:00.000Z'],
    // 99 years 99 months (→ 30 April 2131), then 99 days 99 hours 99 minutes 99 seconds.
    ['999999999999000R', '2131-08-11T16:40:39.000Z'],
  ])('%s → %s', (value, iso) => {
    expect(parseSmppTime(value, now)?.date.toISOString()).toBe(iso);
  });

  it('reads every field of the duration', () => {
    const time = parseSmppTime('010203040506000R', now);
    expect(time?.kind === 'relative' ? time.duration : undefined).toEqual({
      years: 1,
      months: 2,
      days: 3,
      hours: 4,
      minutes: 5,
      seconds: 6,
    });
  });
});

describe('parseSmppTime: unset and invalid', () => {
  it("'' is unset", () => {
    expect(parseSmppTime('', now)).toBeUndefined();
    expect(parseValidityPeriod('', now)).toBeUndefined();
    expect(parseScheduleDeliveryTime('', now)).toBeUndefined();
  });

  it.each([
    ['15 characters', '20111810540000+'],
    ['17 characters', '2011181054000004+'],
    ['one character', 'R'],
    ['a space', '2011181054 0004+'],
    ['a letter in the date', '20111810540a004+'],
    ['a non-digit t', '20111810540x004+'],
    ['a non-digit nn', '2011181054000x4+'],
    ['a full-width digit', '２01118105400004+'],
    ['a sign in a digit field', '-01118105400004+'],
    ['month 00', '200018105400004+'],
    ['month 13', '201318105400004+'],
    ['day 00', '201100105400004+'],
    ['day 32', '201132105400004+'],
    ['31 April', '200431105400004+'],
    ['29 February of a common year', '230229105400004+'],
    ['hour 24', '201118245400004+'],
    ['minute 60', '201118106000004+'],
    ['second 60', '201118105460004+'],
    ['nn 49', '201118105400049+'],
    ['nn 99', '201118105400099-'],
    ["p ' '", '201118105400004 '],
    ["p 'r'", '000001000000000r'],
    ["p 'Z'", '201118105400004Z'],
    ['NUL p', '201118105400004\0'],
    ['relative with t 1', '000001000000100R'],
    ['relative with nn 04', '000001000000004R'],
    ['relative with a letter', '0000010000a0000R'],
  ])('%s (%j)', (_name, value) => {
    expect(() => parseSmppTime(value, now)).toThrow(SmppTimeError);
    expect(() => parseValidityPeriod(value, now)).toThrow(
      expect.objectContaining({ commandStatus: CommandStatus.ESME_RINVEXPIRY }),
    );
    expect(() => parseScheduleDeliveryTime(value, now)).toThrow(
      expect.objectContaining({ commandStatus: CommandStatus.ESME_RINVSCHED }),
    );
  });

  it('carries the status the caller names, ESME_RINVPARLEN by default', () => {
    const error = (() => {
      try {
        parseSmppTime('201318105400004+', now);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SmppError);
    expect(error).toMatchObject({ name: 'SmppTimeError', commandStatus: CommandStatus.ESME_RINVPARLEN });
    expect(() => parseSmppTime('x', now, 0x1234)).toThrow(expect.objectContaining({ commandStatus: 0x1234 }));
  });

  it('never throws anything but an SmppTimeError (fuzz)', () => {
    const chars = fc.constantFrom(...'0123456789+-R x\0'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: chars, minLength: 0, maxLength: 18 }), (value) => {
        try {
          const time = parseSmppTime(value, now);
          if (time !== undefined) expect(Number.isFinite(time.date.getTime())).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(SmppTimeError);
        }
      }),
    );
  });
});

describe('addSmppDuration', () => {
  it('clamps the day to the target month', () => {
    const jan31 = new Date('2023-01-31T00:00:00.000Z');
    expect(addSmppDuration(jan31, { ...zero, months: 1 }).toISOString()).toBe('2023-02-28T00:00:00.000Z');
    expect(addSmppDuration(jan31, { ...zero, months: 3 }).toISOString()).toBe('2023-04-30T00:00:00.000Z');
    const feb29 = new Date('2024-02-29T06:00:00.000Z');
    expect(addSmppDuration(feb29, { ...zero, years: 1 }).toISOString()).toBe('2025-02-28T06:00:00.000Z');
    expect(addSmppDuration(feb29, { ...zero, years: 4 }).toISOString()).toBe('2028-02-29T06:00:00.000Z');
  });

  it('keeps the time of day and the milliseconds', () => {
    const start = new Date('2024-12-15T23:59:59.999Z');
    expect(addSmppDuration(start, { ...zero, months: 1, seconds: 1 }).toISOString()).toBe(
      '2025-01-16T00:00:00.999Z',
    );
  });
});

describe('formatSmppTime', () => {
  it('writes UTC with tenths, nn 00 and +', () => {
    expect(formatSmppTime(new Date('2020-11-18T09:54:00.000Z'))).toBe('201118095400000+');
    expect(formatSmppTime(new Date('2020-11-18T10:54:00+01:00'))).toBe('201118095400000+');
    expect(formatSmppTime(new Date('2099-12-31T23:59:59.999Z'))).toBe('991231235959900+');
    expect(formatSmppTime(new Date('2000-01-01T00:00:00.050Z'))).toBe('000101000000000+');
  });

  it.each([
    ['an invalid Date', new Date(Number.NaN)],
    ['1999', new Date('1999-12-31T23:59:59.999Z')],
    ['2100', new Date('2100-01-01T00:00:00.000Z')],
  ])('rejects %s', (_name, date) => {
    expect(() => formatSmppTime(date)).toThrow(PduEncodeError);
  });
});

describe('formatRelativeSmppTime', () => {
  it('writes YYMMDDhhmmss000R, omitted fields 0', () => {
    expect(formatRelativeSmppTime({ days: 1 })).toBe('000001000000000R');
    expect(formatRelativeSmppTime({ years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6 })).toBe(
      '010203040506000R',
    );
    expect(formatRelativeSmppTime({})).toBe('000000000000000R');
  });

  it.each([{ days: 100 }, { hours: -1 }, { minutes: 1.5 }, { seconds: Number.NaN }])('rejects %j', (d) => {
    expect(() => formatRelativeSmppTime(d)).toThrow(PduEncodeError);
  });
});

describe('round trips', () => {
  it('format → parse of an absolute time keeps it to the tenth of a second', () => {
    const from = Date.UTC(2000, 0, 1);
    const to = Date.UTC(2100, 0, 1) - 1;
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), (ms) => {
        const time = parseSmppTime(formatSmppTime(new Date(ms)), now);
        expect(time).toEqual({ kind: 'absolute', date: new Date(ms - (ms % 100)) });
      }),
    );
  });

  it('parse → format of an absolute time with any offset names the same instant', () => {
    const field = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    fc.assert(
      fc.property(
        fc.tuple(field(99), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })),
        fc.tuple(field(23), field(59), field(59), fc.integer({ min: 0, max: 9 })),
        fc.tuple(field(48), fc.constantFrom('+', '-')),
        ([yy, mo, dd], [hh, mi, ss, t], [nn, p]) => {
          const value = `${yy}${String(mo).padStart(2, '0')}${String(dd).padStart(2, '0')}${hh}${mi}${ss}${t}${nn}${p}`;
          const time = parseSmppTime(value, now);
          if (time === undefined) throw new Error('unset');
          const year = time.date.getUTCFullYear();
          if (year < 2000 || year > 2099) return;
          expect(parseSmppTime(formatSmppTime(time.date), now)).toEqual(time);
        },
      ),
    );
  });

  it('format → parse of a relative duration gives it back', () => {
    const n = fc.integer({ min: 0, max: 99 });
    fc.assert(
      fc.property(
        fc.record({ years: n, months: n, days: n, hours: n, minutes: n, seconds: n }),
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2200, 0, 1) }),
        (duration, nowMs) => {
          const from = new Date(nowMs);
          expect(parseSmppTime(formatRelativeSmppTime(duration), from)).toEqual({
            kind: 'relative',
            date: addSmppDuration(from, duration),
            duration,
          });
        },
      ),
    );
  });
});
