import { ConfigError, loadConfig } from '@smsgw/runtime';
import { describe, expect, it } from 'vitest';
import { connectorConfig } from './config.ts';
import { createDriver, isDriverKind } from './drivers.ts';

describe('connectorConfig', () => {
  it('has working defaults', () => {
    const config = loadConfig(connectorConfig, {});
    expect(config).toMatchObject({
      SERVICE_NAME: 'connector',
      CONNECTOR_NAME: 'sim',
      CONNECTOR_DRIVER: 'sim',
      MAX_IN_FLIGHT: 64,
      PULL_EXPIRES_MS: 5_000,
      ACK_WAIT_MS: 60_000,
      RETRY_MIN_MS: 1_000,
      RETRY_MAX_MS: 60_000,
      SIM_DELAY_MS: 50,
    });
    expect(config.LANE_PREFETCH).toBeUndefined();
  });

  it('reads durations and counts', () => {
    const config = loadConfig(connectorConfig, {
      CONNECTOR_NAME: 'upstream.eu',
      MAX_IN_FLIGHT: '8',
      LANE_PREFETCH: '4',
      PULL_EXPIRES_MS: '2s',
      ACK_WAIT_MS: '30s',
      SIM_DELAY_MS: '0',
    });
    expect(config).toMatchObject({
      CONNECTOR_NAME: 'upstream.eu',
      MAX_IN_FLIGHT: 8,
      LANE_PREFETCH: 4,
      PULL_EXPIRES_MS: 2_000,
      ACK_WAIT_MS: 30_000,
      SIM_DELAY_MS: 0,
    });
  });

  it('refuses an unknown driver and a pull shorter than the client allows', () => {
    expect(() => loadConfig(connectorConfig, { CONNECTOR_DRIVER: 'smpp', PULL_EXPIRES_MS: '500ms' })).toThrow(
      ConfigError,
    );
  });
});

describe('drivers', () => {
  it('knows sim and smpp', () => {
    expect(isDriverKind('sim')).toBe(true);
    expect(isDriverKind('smpp')).toBe(true);
    expect(isDriverKind('kannel')).toBe(false);
    expect(createDriver('sim', { simDelayMs: 0 }).kind).toBe('sim');
  });
});
