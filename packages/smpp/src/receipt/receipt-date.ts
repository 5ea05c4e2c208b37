/**
 * Receipt dates (`submit date:`, `done date:`). Receipts carry no time zone;
 * this library writes and reads them as UTC. Two-digit years are 2000 + YY
 * (receipts are about recent events; the 3.4 Appendix C "< 38" window would
 * misread 2038 onwards).
 */
import { CommandStatus } from '../constants/command-status.ts';
import { PduEncodeError } from '../errors.ts';

const pad2: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

function two(n: number): string {
  return pad2[n] ?? String(n).padStart(2, '0');
}

/** A Date as the 10-digit receipt form `YYMMDDhhmm` in UTC (seconds dropped). */
export function formatReceiptDate(date: Date): string {
  const time = date.getTime();
  if (!Number.isFinite(time)) {
    throw new PduEncodeError('receipt date is not a valid Date', CommandStatus.ESME_RINVPARLEN);
  }
  return (
    two(((date.getUTCFullYear() % 100) + 100) % 100) +
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes())
  );
}

function digitsAt(s: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) n = n * 10 + (s.charCodeAt(i) - 0x30);
  return n;
}

/**
 * Parses a receipt date of 10 (`YYMMDDhhmm`), 12 (`YYMMDDhhmmss`, ksmppd) or
 * 14 (`YYYYMMDDhhmmss`) digits as UTC. Undefined for any other length, a
 * non-digit, or an impossible calendar date (month 13, 30 February, 24:00).
 */
export function parseReceiptDate(value: string): Date | undefined {
  const len = value.length;
  if ((len !== 10 && len !== 12 && len !== 14) || !/^\d+$/.test(value)) return undefined;
  const yearDigits = len === 14 ? 4 : 2;
  const year = yearDigits === 4 ? digitsAt(value, 0, 4) : 2000 + digitsAt(value, 0, 2);
  const month = digitsAt(value, yearDigits, 2);
  const day = digitsAt(value, yearDigits + 2, 2);
  const hour = digitsAt(value, yearDigits + 4, 2);
  const minute = digitsAt(value, yearDigits + 6, 2);
  const second = len === 10 ? 0 : digitsAt(value, yearDigits + 8, 2);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  // setUTCFullYear, unlike Date.UTC, does not map years 0..99 to 1900..1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  // Rolls over (31 April → 1 May) reveal a day the month does not have.
  return date.getUTCDate() === day ? date : undefined;
}
