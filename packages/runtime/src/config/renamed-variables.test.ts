import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../logging/memory-logger.ts';
import { defineServiceConfig } from './base-config.ts';
import { ConfigError } from './config-error.ts';
import { env } from './env-shapes.ts';
import { loadConfig } from './load-config.ts';
import {
  deprecatedVariablesOf,
  logDeprecatedVariables,
  renameVariables,
  withRenamedVariables,
} from './renamed-variables.ts';

const schema = withRenamedVariables(
  defineServiceConfig('demo', {
    DEMO_WINDOW: env.positiveInt().default(10),
    DEMO_TIMEOUT: env.durationMs().default(5_000),
  }),
  { WINDOW: 'DEMO_WINDOW', DEMO_TIMEOUT_MS: 'DEMO_TIMEOUT' },
);

describe('renamed variables', () => {
  it('reads an old name when its replacement is unset, and remembers it', () => {
    const config = loadConfig(schema, { WINDOW: '20', DEMO_TIMEOUT_MS: '30000' });
    expect(config).toMatchObject({ DEMO_WINDOW: 20, DEMO_TIMEOUT: 30_000 });
    expect(deprecatedVariablesOf(config)).toEqual([
      { variable: 'WINDOW', replacement: 'DEMO_WINDOW' },
      { variable: 'DEMO_TIMEOUT_MS', replacement: 'DEMO_TIMEOUT' },
    ]);
  });

  it('remembers nothing when only the new names are used', () => {
    const config = loadConfig(schema, { DEMO_WINDOW: '20', DEMO_TIMEOUT: '30s' });
    expect(config).toMatchObject({ DEMO_WINDOW: 20, DEMO_TIMEOUT: 30_000 });
    expect(deprecatedVariablesOf(config)).toEqual([]);
  });

  it('renames the base schema’s old names for every service (SHUTDOWN_GRACE_MS)', () => {
    const config = loadConfig(schema, { SHUTDOWN_GRACE_MS: '12000' });
    expect(config.SHUTDOWN_GRACE).toBe(12_000);
    expect(deprecatedVariablesOf(config)).toEqual([
      { variable: 'SHUTDOWN_GRACE_MS', replacement: 'SHUTDOWN_GRACE' },
    ]);
  });

  it('accepts both names set to the same value, still as a deprecated use', () => {
    const config = loadConfig(schema, { WINDOW: '20', DEMO_WINDOW: ' 20 ' });
    expect(config.DEMO_WINDOW).toBe(20);
    expect(deprecatedVariablesOf(config)).toEqual([{ variable: 'WINDOW', replacement: 'DEMO_WINDOW' }]);
  });

  it('refuses both names set to different values, naming both, with the other problems', () => {
    const run = () => loadConfig(schema, { WINDOW: '20', DEMO_WINDOW: '30', DEMO_TIMEOUT: 'soon' });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/WINDOW: deprecated name of DEMO_WINDOW, which is set to another value/);
    expect(run).toThrow(/DEMO_TIMEOUT: expected a duration/);
    expect(() => loadConfig(schema, { WINDOW: '20', DEMO_WINDOW: '30' })).toThrow(
      'invalid configuration: WINDOW: deprecated name of DEMO_WINDOW, which is set to another value: set DEMO_WINDOW only',
    );
  });

  it('treats a blank old name as unset', () => {
    const config = loadConfig(schema, { WINDOW: '', DEMO_WINDOW: '30' });
    expect(config.DEMO_WINDOW).toBe(30);
    expect(deprecatedVariablesOf(config)).toEqual([]);
  });

  it('validates an old name’s value under the new name', () => {
    expect(() => loadConfig(schema, { WINDOW: '0' })).toThrow(/DEMO_WINDOW: expected a positive integer/);
  });

  it('renames a plain map (a settings file’s entries) without touching other names', () => {
    expect(renameVariables({ WINDOW: '5', OTHER: 'x' }, { WINDOW: 'DEMO_WINDOW' })).toEqual({
      environment: { DEMO_WINDOW: '5', OTHER: 'x' },
      deprecated: [{ variable: 'WINDOW', replacement: 'DEMO_WINDOW' }],
      issues: [],
    });
  });

  it('keeps deprecations a caller passes (a settings file’s) with the environment’s', () => {
    const config = loadConfig(
      schema,
      { WINDOW: '20' },
      { deprecated: [{ variable: 'OLD', replacement: 'NEW' }] },
    );
    expect(deprecatedVariablesOf(config)).toEqual([
      { variable: 'OLD', replacement: 'NEW' },
      { variable: 'WINDOW', replacement: 'DEMO_WINDOW' },
    ]);
  });

  it('logs one warning line per old name, naming the replacement', () => {
    const { logger, lines } = memoryLogger();
    logDeprecatedVariables(logger, loadConfig(schema, { WINDOW: '20', SHUTDOWN_GRACE_MS: '1s' }));
    expect(lines().map((l) => [l.level, l.msg, l['variable'], l['replacement']])).toEqual([
      [
        'warn',
        'SHUTDOWN_GRACE_MS is deprecated: set SHUTDOWN_GRACE instead',
        'SHUTDOWN_GRACE_MS',
        'SHUTDOWN_GRACE',
      ],
      ['warn', 'WINDOW is deprecated: set DEMO_WINDOW instead', 'WINDOW', 'DEMO_WINDOW'],
    ]);
  });
});
