/**
 * Commander argument parsers shared by the commands. Each throws commander's
 * InvalidArgumentError, which the program turns into a usage error (exit 2).
 */
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
