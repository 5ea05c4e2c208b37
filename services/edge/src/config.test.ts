/** The edge's configuration: defaults and the bounds of its own variables. */
import { ConfigError } from '@smsgw/runtime';
import { describe, expect, it } from 'vitest';
import { loadEdgeConfig } from './config.ts';

describe('loadEdgeConfig', () => {
  it('gives account series to the 50 busiest accounts by default', () => {
    expect(loadEdgeConfig({}).EDGE_METRICS_ACCOUNTS).toBe(50);
  });

  it('takes 0 (no account series) up to 10000, nothing negative', () => {
    expect(loadEdgeConfig({ EDGE_METRICS_ACCOUNTS: '0' }).EDGE_METRICS_ACCOUNTS).toBe(0);
    expect(loadEdgeConfig({ EDGE_METRICS_ACCOUNTS: '10000' }).EDGE_METRICS_ACCOUNTS).toBe(10_000);
    expect(() => loadEdgeConfig({ EDGE_METRICS_ACCOUNTS: '-1' })).toThrow(ConfigError);
    expect(() => loadEdgeConfig({ EDGE_METRICS_ACCOUNTS: '10001' })).toThrow(ConfigError);
  });

  it('keeps SMPP’s customary deliver_sm window of 10 unless told otherwise', () => {
    expect(loadEdgeConfig({}).SMPP_DELIVER_WINDOW).toBe(10);
    expect(loadEdgeConfig({ SMPP_DELIVER_WINDOW: '50' }).SMPP_DELIVER_WINDOW).toBe(50);
    expect(() => loadEdgeConfig({ SMPP_DELIVER_WINDOW: '0' })).toThrow(ConfigError);
  });
});
