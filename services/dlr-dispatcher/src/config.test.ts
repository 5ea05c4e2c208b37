/** The dispatcher's configuration: the shared deliver window, old names, the deprecated backlog limits. */
import { memoryLogger, deprecatedVariablesOf } from '@smsgw/runtime';
import { describe, expect, it } from 'vitest';
import { backlogLimitMismatches, backlogLimitOptions, noteBacklogLimits } from './backlog-limits.ts';
import { loadDispatcherConfig } from './config.ts';

describe('loadDispatcherConfig', () => {
  it('reads the shared DELIVER_WINDOW, and DLR_SESSION_WINDOW as its deprecated name', () => {
    expect(loadDispatcherConfig({}).DELIVER_WINDOW).toBe(10);
    expect(loadDispatcherConfig({ DELIVER_WINDOW: '50' }).DELIVER_WINDOW).toBe(50);
    const old = loadDispatcherConfig({ DLR_SESSION_WINDOW: '20' });
    expect(old.DELIVER_WINDOW).toBe(20);
    expect(deprecatedVariablesOf(old)).toEqual([
      { variable: 'DLR_SESSION_WINDOW', replacement: 'DELIVER_WINDOW' },
    ]);
    expect(() => loadDispatcherConfig({ DLR_SESSION_WINDOW: '20', DELIVER_WINDOW: '30' })).toThrow(
      /DLR_SESSION_WINDOW: deprecated name of DELIVER_WINDOW/,
    );
  });

  it('leaves the backlog limits unset unless given (the streams have them)', () => {
    const config = loadDispatcherConfig({});
    expect([config.DLR_BACKLOG_MAX, config.DLR_PRIORITY_BACKLOG_MAX, config.DLR_BACKLOG_MAX_AGE]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(backlogLimitOptions(config)).toEqual({});
    expect(() => loadDispatcherConfig({ DLR_PRIORITY_BACKLOG_MAX: '8334' })).toThrow(
      /DLR_PRIORITY_BACKLOG_MAX/,
    );
    const set = loadDispatcherConfig({ DLR_BACKLOG_MAX: '53', DLR_BACKLOG_MAX_AGE: '1h' });
    expect(backlogLimitOptions(set)).toEqual({ dlrBacklogMax: 53, dlrMaxAgeMs: 3_600_000 });
  });
});

describe('the backlog limits the streams hold', () => {
  const streams = {
    dlr: { config: { max_msgs_per_subject: 22_000, max_age: 48 * 3_600_000 * 1_000_000 } },
    dlrPriority: { config: { max_msgs_per_subject: 1_000, max_age: 48 * 3_600_000 * 1_000_000 } },
  };
  const topology = { streams } as unknown as Parameters<typeof noteBacklogLimits>[1];

  it('logs them, and warns once when a deprecated DLR_BACKLOG_* is set, naming what differs', () => {
    const quiet = memoryLogger();
    noteBacklogLimits(loadDispatcherConfig({}), topology, quiet.logger);
    expect(quiet.lines().map((l) => [l.level, l['limits']])).toEqual([
      ['info', { dlrBacklogMax: 25_000, dlrPriorityBacklogMax: 1_000, dlrMaxAgeMs: 48 * 3_600_000 }],
    ]);
    const warned = memoryLogger();
    noteBacklogLimits(
      loadDispatcherConfig({ DLR_BACKLOG_MAX: '53', DLR_BACKLOG_MAX_AGE: '48h' }),
      topology,
      warned.logger,
    );
    const warnings = warned.lines().filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toMatch(
      /^DLR_BACKLOG_MAX, DLR_BACKLOG_MAX_AGE on the dispatcher are deprecated/,
    );
    expect(warnings[0]?.['differing']).toEqual({ DLR_BACKLOG_MAX: { configured: 53, stream: 25_000 } });
  });

  it('finds no mismatch when the variables say what the streams hold', () => {
    expect(
      backlogLimitMismatches(
        { DLR_BACKLOG_MAX: 25_000, DLR_PRIORITY_BACKLOG_MAX: undefined, DLR_BACKLOG_MAX_AGE: undefined },
        { dlrBacklogMax: 25_000, dlrPriorityBacklogMax: 1_000, dlrMaxAgeMs: 1 },
      ),
    ).toEqual({});
  });
});
