/**
 * SMPP time fields (schedule_delivery_time, validity_period, final_date; spec
 * §7.1.1): 16 characters `YYMMDDhhmmsstnnp`, or empty for "unset".
 *
 * - Absolute (p '+' or '-'): local time, t tenths of a second, nn the offset
 *   from UTC in quarter hours (00–48), '+' when local time is ahead of UTC.
 *   Two-digit years are 2000 + YY, as for receipt dates (the Appendix C "< 38"
 *   window would misread 2038 onwards).
 * - Relative (p 'R'): YYMMDDhhmmss is a duration counted from now; t and nn
 *   must be '0'. Each field is any two digits (`000000480000000R` is 48 hours):
 *   the spec bounds none of them and a duration has no impossible values.
 */
import { CommandStatus } from '../constants/command-status.ts';
import { PduEncodeError, SmppError } from '../errors.ts';

/** A relative SMPP time: years and months are calendar steps, the rest fixed lengths. */
export interface SmppDuration {
  readonly years: number;
  readonly months: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

/** A parsed, set SMPP time field; `date` is the instant it names (relative: counted from `now`). */
export type SmppTime =
  | { readonly kind: 'absolute'; readonly date: Date }
  | { readonly kind: 'relative'; readonly date: Date; readonly duration: SmppDuration };

/** An SMPP time field is malformed; carries the status of the field it came from. */
export class SmppTimeError extends SmppError {
  constructor(commandStatus: number, message: string) {
    super(commandStatus, message);
    this.name = 'SmppTimeError';
  }
}

const SMPP_TIME_LENGTH = 16;
const MINUTE_MS = 60_000;
const QUARTER_HOUR_MS = 15 * MINUTE_MS;

/** The decimal digit at `at`, or -1 when it is not '0'–'9'. */
function digit(s: string, at: number): number {
  const d = s.charCodeAt(at) - 0x30;
  return d >= 0 && d <= 9 ? d : -1;
}

/** Two decimal digits at `at`, or -1 when either is not '0'–'9'. */
function two(s: string, at: number): number {
  const hi = digit(s, at);
  const lo = digit(s, at + 1);
  return hi >= 0 && lo >= 0 ? hi * 10 + lo : -1;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in a month (1–12) of the proleptic Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return MONTH_DAYS[month - 1] ?? 31;
}

/**
 * `date` plus a duration, in UTC: years and months step the calendar (the day
 * is clamped to the target month, 31 January + 1 month = 28/29 February), then
 * days, hours, minutes and seconds add their fixed lengths.
 */
export function addSmppDuration(date: Date, duration: SmppDuration): Date {
  const result = new Date(date.getTime());
  if (duration.years !== 0 || duration.months !== 0) {
    const monthIndex = result.getUTCMonth() + duration.months;
    const year = result.getUTCFullYear() + duration.years + Math.floor(monthIndex / 12);
    const month = (((monthIndex % 12) + 12) % 12) + 1;
    result.setUTCFullYear(year, month - 1, Math.min(result.getUTCDate(), daysInMonth(year, month)));
  }
  const fixedSeconds =
    ((duration.days * 24 + duration.hours) * 60 + duration.minutes) * 60 + duration.seconds;
  return new Date(result.getTime() + fixedSeconds * 1000);
}

/**
 * Parses a time field: undefined when empty (unset), otherwise the absolute
 * instant or the relative duration and the instant it reaches from `now`.
 * Anything malformed throws an SmppTimeError with `commandStatus` (the status
 * of the field it came from; ESME_RINVPARLEN when the caller names none).
 */
export function parseSmppTime(
  value: string,
  now: Date,
  commandStatus: number = CommandStatus.ESME_RINVPARLEN,
): SmppTime | undefined {
  if (value === '') return undefined;
  const invalid = (why: string): SmppTimeError =>
    new SmppTimeError(commandStatus, `time ${JSON.stringify(value)}: ${why}`);
  if (value.length !== SMPP_TIME_LENGTH) throw invalid(`must be ${SMPP_TIME_LENGTH} characters`);
  const yy = two(value, 0);
  const mo = two(value, 2);
  const dd = two(value, 4);
  const hh = two(value, 6);
  const mi = two(value, 8);
  const ss = two(value, 10);
  const t = digit(value, 12);
  const nn = two(value, 13);
  if (yy < 0 || mo < 0 || dd < 0 || hh < 0 || mi < 0 || ss < 0 || t < 0 || nn < 0) {
    throw invalid('YYMMDDhhmmsstnn must be digits');
  }
  const p = value.charCodeAt(15);
  if (p === 0x52 /* R */) {
    if (t !== 0 || nn !== 0) throw invalid('a relative time has t and nn 0');
    const duration: SmppDuration = { years: yy, months: mo, days: dd, hours: hh, minutes: mi, seconds: ss };
    return { kind: 'relative', date: addSmppDuration(now, duration), duration };
  }
  if (p !== 0x2b /* + */ && p !== 0x2d /* - */) throw invalid("p must be '+', '-' or 'R'");
  if (mo < 1 || mo > 12) throw invalid(`month ${mo}`);
  const year = 2000 + yy;
  if (dd < 1 || dd > daysInMonth(year, mo)) throw invalid(`day ${dd} of month ${mo}`);
  if (hh > 23 || mi > 59 || ss > 59) throw invalid('hour, minute or second out of range');
  if (nn > 48) throw invalid(`UTC offset of ${nn} quarter hours is above 48`);
  const local = Date.UTC(year, mo - 1, dd, hh, mi, ss, t * 100);
  const offset = (p === 0x2b ? nn : -nn) * QUARTER_HOUR_MS;
  return { kind: 'absolute', date: new Date(local - offset) };
}

/** Parses validity_period; malformed → ESME_RINVEXPIRY. */
export function parseValidityPeriod(value: string, now: Date): SmppTime | undefined {
  return parseSmppTime(value, now, CommandStatus.ESME_RINVEXPIRY);
}

/** Parses schedule_delivery_time; malformed → ESME_RINVSCHED. */
export function parseScheduleDeliveryTime(value: string, now: Date): SmppTime | undefined {
  return parseSmppTime(value, now, CommandStatus.ESME_RINVSCHED);
}

const pad2: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

function twoDigits(n: number, what: string): string {
  const s = Number.isInteger(n) ? pad2[n] : undefined;
  if (s === undefined) throw new PduEncodeError(`${what} ${String(n)} is not an integer 0–99`);
  return s;
}

/**
 * A Date as the absolute time field in UTC, `YYMMDDhhmmsst00+` (tenths
 * truncated). Years outside 2000–2099 have no two-digit form: PduEncodeError.
 */
export function formatSmppTime(date: Date): string {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new PduEncodeError('time is not a valid Date');
  const year = date.getUTCFullYear();
  if (year < 2000 || year > 2099) throw new PduEncodeError(`year ${year} is outside 2000–2099`);
  return (
    twoDigits(year - 2000, 'year') +
    twoDigits(date.getUTCMonth() + 1, 'month') +
    twoDigits(date.getUTCDate(), 'day') +
    twoDigits(date.getUTCHours(), 'hour') +
    twoDigits(date.getUTCMinutes(), 'minute') +
    twoDigits(date.getUTCSeconds(), 'second') +
    String(Math.floor(date.getUTCMilliseconds() / 100)) +
    '00+'
  );
}

/** A duration as the relative time field `YYMMDDhhmmss000R`; omitted fields are 0, each must be 0–99. */
export function formatRelativeSmppTime(duration: Partial<SmppDuration>): string {
  return (
    twoDigits(duration.years ?? 0, 'years') +
    twoDigits(duration.months ?? 0, 'months') +
    twoDigits(duration.days ?? 0, 'days') +
    twoDigits(duration.hours ?? 0, 'hours') +
    twoDigits(duration.minutes ?? 0, 'minutes') +
    twoDigits(duration.seconds ?? 0, 'seconds') +
    '000R'
  );
}
