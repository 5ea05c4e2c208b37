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
      ACK_WAIT_MS: 15_000,
      RETRY_MIN_MS: 1_000,
      RETRY_MAX_MS: 60_000,
      SIM_DELAY_MS: { minMs: 500, maxMs: 3_000 },
    });
    expect(config.LANE_PREFETCH).toBeUndefined();
    expect([config.TRY_NEXT_STATUSES, config.CONNECTOR_HEALTH_TTL_MS]).toEqual([[], 30_000]);
  });

  it('reads TRY_NEXT_STATUSES by name, in hex or decimal, and refuses anything else', () => {
    const config = loadConfig(connectorConfig, { TRY_NEXT_STATUSES: '0x45, 88,0x000000FE,ESME_RINVDSTADR' });
    expect(config.TRY_NEXT_STATUSES).toEqual([0x45, 0x58, 0xfe, 0x0b]);
    for (const bad of ['ESME_NOSUCH', '0x1ffffffff', '-1', '1.5']) {
      expect(() => loadConfig(connectorConfig, { TRY_NEXT_STATUSES: bad })).toThrow(/TRY_NEXT_STATUSES/);
    }
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
      SIM_DELAY_MS: { minMs: 0, maxMs: 0 },
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
    expect(
      createDriver('sim', { simLatency: { minMs: 0, maxMs: 0 }, simStore: undefined as never }).kind,
    ).toBe('sim');
  });
});
