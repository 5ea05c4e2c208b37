import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './config-error.ts';
import { env } from './env-shapes.ts';
import { loadConfig } from './load-config.ts';

const schema = z.object({
  SMPP_PORT: env.port(),
  WINDOW: env.positiveInt().default(10),
  BIND_TIMEOUT_MS: env.durationMs().default(5000),
  TLS_ENABLED: env.boolean().default(false),
  ACCOUNTS: env.list().optional(),
});

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('parses the variables the schema names and applies defaults', () => {
    const config = loadConfig(schema, { SMPP_PORT: '2775', BIND_TIMEOUT_MS: '30s', OTHER: 'ignored' });
    expect(config).toEqual({ SMPP_PORT: 2775, WINDOW: 10, BIND_TIMEOUT_MS: 30_000, TLS_ENABLED: false });
  });

  it('returns a frozen object, arrays included', () => {
    const config = loadConfig(schema, { SMPP_PORT: '2775', ACCOUNTS: 'a,b' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.ACCOUNTS)).toBe(true);
  });

  it('treats blank values as unset', () => {
    const config = loadConfig(schema, { SMPP_PORT: '2775', WINDOW: '', TLS_ENABLED: '  ' });
    expect(config.WINDOW).toBe(10);
    expect(config.TLS_ENABLED).toBe(false);
  });

  it('names every bad variable and why, in one error', () => {
    const error = configError(() =>
      loadConfig(schema, { SMPP_PORT: 'abc', WINDOW: '0', BIND_TIMEOUT_MS: 'soon', TLS_ENABLED: 'yes' }),
    );
    expect(error.name).toBe('ConfigError');
    expect(error.issues).toEqual([
      { variable: 'SMPP_PORT', message: 'expected an integer 1–65535, got "abc"' },
      { variable: 'WINDOW', message: 'expected a positive integer, got "0"' },
      {
        variable: 'BIND_TIMEOUT_MS',
        message: 'expected a duration like "30s", "500ms", "2m" or a number of milliseconds, got "soon"',
      },
      { variable: 'TLS_ENABLED', message: 'expected true, false, 1 or 0, got "yes"' },
    ]);
    expect(error.message).toBe(
      'invalid configuration: SMPP_PORT: expected an integer 1–65535, got "abc"; ' +
        'WINDOW: expected a positive integer, got "0"; ' +
        'BIND_TIMEOUT_MS: expected a duration like "30s", "500ms", "2m" or a number of milliseconds, got "soon"; ' +
        'TLS_ENABLED: expected true, false, 1 or 0, got "yes"',
    );
    expect(error.cause).toBeInstanceOf(z.ZodError);
  });

  it('says when a required variable is missing or blank', () => {
    expect(configError(() => loadConfig(schema, {})).issues).toEqual([
      { variable: 'SMPP_PORT', message: 'required but not set' },
    ]);
    expect(configError(() => loadConfig(schema, { SMPP_PORT: ' ' })).message).toBe(
      'invalid configuration: SMPP_PORT: required but not set',
    );
  });

  it('keeps the messages of plain zod schemas', () => {
    const custom = z.object({ REGION: z.enum(['eu', 'us']) });
    const error = configError(() => loadConfig(custom, { REGION: 'mars' }));
    expect(error.issues[0]?.variable).toBe('REGION');
    expect(error.issues[0]?.message).toMatch(/eu.*us/);
  });

  it('reads process.env by default', () => {
    process.env['SMSGW_RUNTIME_TEST_PORT'] = '1234';
    try {
      expect(loadConfig(z.object({ SMSGW_RUNTIME_TEST_PORT: env.port() }))).toEqual({
        SMSGW_RUNTIME_TEST_PORT: 1234,
      });
    } finally {
      delete process.env['SMSGW_RUNTIME_TEST_PORT'];
    }
  });
});
