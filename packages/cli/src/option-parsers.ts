/**
 * Commander argument parsers shared by the commands. Each throws commander's
 * InvalidArgumentError, which the program turns into a usage error (exit 2).
 */
import { MAX_VALIDITY_LIMIT_SECONDS } from '@smsgw/accounts';
import { InvalidArgumentError } from 'commander';

/** An integer in min..max (decimal, or 0x hex). */
export function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^(0x[0-9a-f]+|\d+)$/i.test(value.trim()) ? Number(value.trim()) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer in ${min}..${max}, got ${JSON.stringify(value)}`);
    }
    return n;
  };
}

/** A comma-separated list, blanks trimmed, empty entries dropped. */
export function list(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** A comma-separated list whose entries must each be one of `allowed`. */
export function listOf<T extends string>(allowed: readonly T[]): (value: string) => T[] {
  return (value) => {
    const items = list(value);
    const bad = items.filter((v) => !(allowed as readonly string[]).includes(v));
    if (bad.length > 0 || items.length === 0) {
      throw new InvalidArgumentError(`expected a comma-separated list of ${allowed.join(', ')}`);
    }
    return items as T[];
  };
}

/** A comma-separated list of integers in min..max. */
export function integerList(min: number, max: number): (value: string) => number[] {
  const one = integerIn(min, max);
  return (value) => list(value).map(one);
}

/** One of `allowed`. */
export function oneOf<T extends string>(allowed: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(allowed as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
    }
    return value as T;
  };
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)?$/;

/** A duration in milliseconds: `30` or `30s` (seconds), `500ms`, `2m`. */
export function durationMs(value: string): number {
  const m = DURATION.exec(value.trim());
  if (m === null)
    throw new InvalidArgumentError(`expected a duration like 30, 30s, 500ms or 2m, got ${value}`);
  const n = Number(m[1]);
  const ms = m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
  if (!Number.isFinite(ms) || ms <= 0 || ms > 0x7fffffff) {
    throw new InvalidArgumentError(`duration out of range: ${value}`);
  }
  return Math.round(ms);
}

const VALIDITY = /^(\d+)(s|m|h|d)$/;
const VALIDITY_UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** An account's max validity in seconds: `48h`, `90m`, `3600s`, `2d`, between 1 minute and 30 days. */
export function validitySeconds(value: string): number {
  const m = VALIDITY.exec(value.trim());
  if (m === null)
    throw new InvalidArgumentError(`expected a duration like 48h, 90m, 3600s or 2d, got ${value}`);
  const seconds = Number(m[1]) * VALIDITY_UNIT_SECONDS[m[2] as keyof typeof VALIDITY_UNIT_SECONDS];
  if (seconds < 60 || seconds > MAX_VALIDITY_LIMIT_SECONDS) {
    throw new InvalidArgumentError(`max validity out of range (1m..30d): ${value}`);
  }
  return seconds;
}
