import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { env } from './env-shapes.ts';

/** The parsed value, or the first issue's message. */
function parse(schema: z.ZodType, input: string): unknown {
  const result = schema.safeParse(input);
  return result.success ? result.data : (result.error.issues[0]?.message ?? 'no issue');
}

describe('env shapes', () => {
  it('port accepts 1–65535 and names the range otherwise', () => {
    expect(parse(env.port(), '2775')).toBe(2775);
    expect(parse(env.port(), ' 1 ')).toBe(1);
    expect(parse(env.port(), '65535')).toBe(65_535);
    expect(parse(env.port(), 'abc')).toBe('expected an integer 1–65535, got "abc"');
    expect(parse(env.port(), '0')).toBe('expected an integer 1–65535, got "0"');
    expect(parse(env.port(), '65536')).toBe('expected an integer 1–65535, got "65536"');
    expect(parse(env.port(), '80.5')).toBe('expected an integer 1–65535, got "80.5"');
  });

  it('positiveInt and integer bounds', () => {
    expect(parse(env.positiveInt(), '10')).toBe(10);
    expect(parse(env.positiveInt(), '0')).toBe('expected a positive integer, got "0"');
    expect(parse(env.integer(), '-3')).toBe(-3);
    expect(parse(env.integer({ min: 0 }), '-1')).toBe('expected an integer ≥ 0, got "-1"');
    expect(parse(env.integer({ max: 9 }), '10')).toBe('expected an integer ≤ 9, got "10"');
    expect(parse(env.integer(), '1e3')).toBe('expected an integer, got "1e3"');
    expect(parse(env.integer(), '9007199254740993')).toBe('expected an integer, got "9007199254740993"');
  });

  it('durationRangeMs takes one duration or a range of two', () => {
    expect(parse(env.durationRangeMs(), '0')).toEqual({ minMs: 0, maxMs: 0 });
    expect(parse(env.durationRangeMs(), '50')).toEqual({ minMs: 50, maxMs: 50 });
    expect(parse(env.durationRangeMs(), '500ms-3s')).toEqual({ minMs: 500, maxMs: 3_000 });
    expect(parse(env.durationRangeMs(), '500-3000')).toEqual({ minMs: 500, maxMs: 3_000 });
    expect(parse(env.durationRangeMs(), '3s-1s')).toMatch(/^expected a duration/);
    expect(parse(env.durationRangeMs(), '1-2-3')).toMatch(/^expected a duration/);
    expect(parse(env.durationRangeMs({ max: 1_000 }), '0-2s')).toMatch(/at most 1000 ms/);
  });

  it('durationMs parses units and plain milliseconds, with optional bounds', () => {
    expect(parse(env.durationMs(), '30s')).toBe(30_000);
    expect(parse(env.durationMs(), '500ms')).toBe(500);
    expect(parse(env.durationMs(), '2m')).toBe(120_000);
    expect(parse(env.durationMs(), '1500')).toBe(1500);
    expect(parse(env.durationMs(), 'soon')).toBe(
      'expected a duration like "30s", "500ms", "2m" or a number of milliseconds, got "soon"',
    );
    expect(parse(env.durationMs({ min: 1000 }), '10ms')).toMatch(/at least 1000 ms, got "10ms"$/);
    expect(parse(env.durationMs({ max: 1000 }), '2s')).toMatch(/at most 1000 ms, got "2s"$/);
  });

  it('boolean accepts true/false/1/0 in any case only', () => {
    expect(parse(env.boolean(), 'true')).toBe(true);
    expect(parse(env.boolean(), 'TRUE')).toBe(true);
    expect(parse(env.boolean(), '1')).toBe(true);
    expect(parse(env.boolean(), 'False')).toBe(false);
    expect(parse(env.boolean(), '0')).toBe(false);
    expect(parse(env.boolean(), 'yes')).toBe('expected true, false, 1 or 0, got "yes"');
  });

  it('list splits on commas, trims and drops empty items', () => {
    expect(parse(env.list(), 'a, b ,,c,')).toEqual(['a', 'b', 'c']);
    expect(parse(env.list(), 'one')).toEqual(['one']);
  });

  it('urlList checks every URL and scheme, hiding passwords in the message', () => {
    const nats = env.urlList({ protocols: ['nats', 'tls'] });
    expect(parse(nats, 'nats://a:4222, tls://b:4222')).toEqual(['nats://a:4222', 'tls://b:4222']);
    expect(parse(nats, 'nats://user:pw@a:4222')).toEqual(['nats://user:pw@a:4222']);
    expect(parse(nats, 'nats://a:4222,http://b')).toBe(
      'expected a comma-separated list of nats:// or tls:// URLs, got "nats://a:4222,http://b"',
    );
    expect(parse(nats, 'localhost:4222')).toMatch(/got "localhost:4222"$/);
    expect(parse(nats, ',')).toMatch(/URLs, got ","$/);
    expect(parse(nats, 'nats://user:s3cret@a:4222,bogus')).toBe(
      'expected a comma-separated list of nats:// or tls:// URLs, got "nats://user:***@a:4222,bogus"',
    );
  });

  it('logLevel accepts pino levels in any case', () => {
    expect(parse(env.logLevel(), 'DEBUG')).toBe('debug');
    expect(parse(env.logLevel(), 'silent')).toBe('silent');
    expect(parse(env.logLevel(), 'verbose')).toBe(
      'expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
    );
  });

  it('nonEmptyString and dnsLabel', () => {
    expect(parse(env.nonEmptyString(), ' pod-1 ')).toBe('pod-1');
    expect(parse(env.nonEmptyString(), '   ')).toBe('expected a non-empty string, got "   "');
    expect(parse(env.dnsLabel(), 'dlr-dispatcher')).toBe('dlr-dispatcher');
    expect(parse(env.dnsLabel(), 'Edge')).toMatch(/got "Edge"$/);
    expect(parse(env.dnsLabel(), 'edge-')).toMatch(/got "edge-"$/);
  });

  it('cuts very long values in messages', () => {
    const message = parse(env.port(), 'x'.repeat(500));
    expect(message).toBe(`expected an integer 1–65535, got "${'x'.repeat(64)}…"`);
  });
});
