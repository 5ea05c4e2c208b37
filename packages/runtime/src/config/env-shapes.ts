// Zod schemas for the shapes environment variables take. Each one reads a string (every env
// value is a string) and writes its own error message naming what it expected and what it got,
// so a ConfigError reads like `EDGE_SMPP_PORT: expected an integer 1–65535, got "abc"`.
import { z } from 'zod';
import { parseDurationMs } from './duration.ts';

/** pino's level names plus `silent`, in order of severity. */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A pino level name, or `silent`. */
export type LogLevel = (typeof logLevels)[number];

const maxShown = 64;

/** Quotes a value for an error message, hiding URL passwords and cutting very long values. */
function shown(value: string): string {
  const masked = value.replace(/(\/\/[^/?#@:]*:)[^/?#@]*@/g, '$1***@');
  return JSON.stringify(masked.length > maxShown ? `${masked.slice(0, maxShown)}…` : masked);
}

/** A string schema that maps its input through `parse`, failing with `expected <expected>, got "<input>"`. */
function shape<T>(expected: string, parse: (text: string) => T | undefined) {
  return z.string().transform((text, ctx): T => {
    const value = parse(text);
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected ${expected}, got ${shown(text)}` });
      return z.NEVER;
    }
    return value;
  });
}

function parseInteger(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : undefined;
}

function rangeText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `an integer ${min}–${max}`;
  if (min === 1 && max === undefined) return 'a positive integer';
  if (min !== undefined) return `an integer ≥ ${min}`;
  if (max !== undefined) return `an integer ≤ ${max}`;
  return 'an integer';
}

function inRange(value: number, min: number | undefined, max: number | undefined): boolean {
  return (min === undefined || value >= min) && (max === undefined || value <= max);
}

function integer(options: { min?: number; max?: number } = {}) {
  const { min, max } = options;
  return shape(rangeText(min, max), (text) => {
    const value = parseInteger(text);
    return value !== undefined && inRange(value, min, max) ? value : undefined;
  });
}

function durationMs(options: { min?: number; max?: number } = {}) {
  const { min, max } = options;
  let expected = 'a duration like "30s", "500ms", "2m" or a number of milliseconds';
  if (min !== undefined) expected += `, at least ${min} ms`;
  if (max !== undefined) expected += `, at most ${max} ms`;
  return shape(expected, (text) => {
    const value = parseDurationMs(text);
    return value !== undefined && inRange(value, min, max) ? value : undefined;
  });
}

/** A range of durations, both ends inclusive. */
export interface DurationRangeMs {
  readonly minMs: number;
  readonly maxMs: number;
}

function durationRangeMs(options: { max?: number } = {}) {
  const { max } = options;
  let expected = 'a duration ("500ms") or a range of two ("500ms-3s", "500-3000")';
  if (max !== undefined) expected += `, at most ${max} ms`;
  return shape(expected, (text): DurationRangeMs | undefined => {
    const [first = '', second, ...rest] = text.split('-');
    if (rest.length > 0) return undefined;
    const minMs = parseDurationMs(first);
    const maxMs = second === undefined ? minMs : parseDurationMs(second);
    if (minMs === undefined || maxMs === undefined || minMs > maxMs) return undefined;
    return inRange(maxMs, 0, max) ? { minMs, maxMs } : undefined;
  });
}

const booleans: Readonly<Record<string, boolean>> = { true: true, false: false, '1': true, '0': false };

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function urlList(options: { protocols: readonly string[] }) {
  const protocols = options.protocols.map((p) => `${p}:`);
  const expected = `a comma-separated list of ${options.protocols.map((p) => `${p}://`).join(' or ')} URLs`;
  return shape(expected, (text) => {
    const items = splitList(text);
    const valid = items.every((item) => {
      const url = URL.parse(item);
      return url !== null && protocols.includes(url.protocol) && url.hostname !== '';
    });
    return items.length > 0 && valid ? items : undefined;
  });
}

/**
 * The common shapes of environment variables, as zod schemas for `loadConfig`. Chain `.default(…)`
 * with the parsed type (`env.port().default(2775)`) or `.optional()`.
 */
export const env = {
  /** A TCP port, an integer 1–65535. */
  port: () => integer({ min: 1, max: 65_535 }),
  /** An integer ≥ 1 (counts, window sizes, limits). */
  positiveInt: () => integer({ min: 1 }),
  /** A safe integer, optionally bounded (both bounds inclusive). */
  integer,
  /** A duration in whole milliseconds: "30s", "500ms", "2m", "1h", "1m30s" or plain milliseconds "30000". */
  durationMs,
  /** One duration, or a range of two ("500ms-3s"): `{ minMs, maxMs }`, equal for one. */
  durationRangeMs,
  /** A boolean spelled true, false, 1 or 0 (any case). */
  boolean: () => shape('true, false, 1 or 0', (text) => booleans[text.trim().toLowerCase()]),
  /** A comma-separated list of strings; items are trimmed and empty items dropped. */
  list: () => z.string().transform(splitList),
  /** A comma-separated, non-empty list of URLs with the given schemes (no colon: `['nats', 'tls']`). */
  urlList,
  /** A pino level (`fatal` … `trace`) or `silent`, any case. */
  logLevel: () =>
    shape(`one of ${logLevels.join(', ')}`, (text) => {
      const level = text.trim().toLowerCase();
      return logLevels.find((l) => l === level);
    }),
  /** A string that is not blank, trimmed. */
  nonEmptyString: () => shape('a non-empty string', (text) => text.trim() || undefined),
  /** A lower-case DNS label (a-z, 0-9, inner '-', at most 63 characters), as Kubernetes names services. */
  dnsLabel: () =>
    shape('a lower-case name of a-z, 0-9 and inner "-" (at most 63 characters)', (text) => {
      const name = text.trim();
      return /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(name) ? name : undefined;
    }),
};
