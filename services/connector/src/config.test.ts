import { ConfigError, deprecatedVariablesOf, loadConfig } from '@smsgw/runtime';
import { describe, expect, it } from 'vitest';
import { connectorConfig, connectorRenamedVariables } from './config.ts';
import { createDriver, isDriverKind } from './drivers.ts';

describe('connectorConfig', () => {
  it('has working defaults', () => {
    const config = loadConfig(connectorConfig, {});
    expect(config).toMatchObject({
      SERVICE_NAME: 'connector',
      CONNECTOR_NAME: 'sim',
      CONNECTOR_DRIVER: 'sim',
      CONNECTOR_MAX_IN_FLIGHT: 64,
      CONNECTOR_PULL_EXPIRES: 5_000,
      CONNECTOR_ACK_WAIT: 15_000,
      CONNECTOR_RETRY_DELAY_MIN: 1_000,
      CONNECTOR_RETRY_DELAY_MAX: 60_000,
      CONNECTOR_SIM_DELAY: { minMs: 500, maxMs: 3_000 },
    });
    expect(config.CONNECTOR_LANE_PREFETCH).toBeUndefined();
    expect([config.CONNECTOR_TRY_NEXT_STATUSES, config.CONNECTOR_HEALTH_TTL]).toEqual([[], 30_000]);
  });

  it('reads CONNECTOR_TRY_NEXT_STATUSES by name, in hex or decimal, and refuses anything else', () => {
    const config = loadConfig(connectorConfig, {
      CONNECTOR_TRY_NEXT_STATUSES: '0x45, 88,0x000000FE,ESME_RINVDSTADR',
    });
    expect(config.CONNECTOR_TRY_NEXT_STATUSES).toEqual([0x45, 0x58, 0xfe, 0x0b]);
    for (const bad of ['ESME_NOSUCH', '0x1ffffffff', '-1', '1.5']) {
      expect(() => loadConfig(connectorConfig, { CONNECTOR_TRY_NEXT_STATUSES: bad })).toThrow(
        /CONNECTOR_TRY_NEXT_STATUSES/,
      );
    }
  });

  it('reads durations and counts', () => {
    const config = loadConfig(connectorConfig, {
      CONNECTOR_NAME: 'upstream.eu',
      CONNECTOR_MAX_IN_FLIGHT: '8',
      CONNECTOR_LANE_PREFETCH: '4',
      CONNECTOR_PULL_EXPIRES: '2s',
      CONNECTOR_ACK_WAIT: '30s',
      CONNECTOR_SIM_DELAY: '0',
    });
    expect(config).toMatchObject({
      CONNECTOR_NAME: 'upstream.eu',
      CONNECTOR_MAX_IN_FLIGHT: 8,
      CONNECTOR_LANE_PREFETCH: 4,
      CONNECTOR_PULL_EXPIRES: 2_000,
      CONNECTOR_ACK_WAIT: 30_000,
      CONNECTOR_SIM_DELAY: { minMs: 0, maxMs: 0 },
    });
  });

  it('refuses an unknown driver and a pull shorter than the client allows', () => {
    expect(() =>
      loadConfig(connectorConfig, { CONNECTOR_DRIVER: 'smpp', CONNECTOR_PULL_EXPIRES: '500ms' }),
    ).toThrow(ConfigError);
  });
});

describe('connectorConfig: the old names', () => {
  it('still reads each old name when the new one is unset, and remembers it as deprecated', () => {
    const config = loadConfig(connectorConfig, {
      MAX_IN_FLIGHT: '8',
      LANE_PREFETCH: '4',
      PULL_EXPIRES_MS: '2000',
      ACK_WAIT_MS: '30s',
      RETRY_MIN_MS: '10',
      RETRY_MAX_MS: '20',
      SIM_DELAY_MS: '5-10',
      SIM_ACK_WAIT_MS: '3s',
      CONNECTOR_HEALTH_TTL_MS: '9s',
      CONNECTOR_DRIVER: 'smpp',
      SMPP_HOST: 'smsc.example.com',
      SMPP_SYSTEM_ID: 'esme',
      SMPP_RECONNECT_MIN_MS: '2s',
      SMPP_ENQUIRE_LINK_MS: '7s',
    });
    expect(config).toMatchObject({
      CONNECTOR_MAX_IN_FLIGHT: 8,
      CONNECTOR_LANE_PREFETCH: 4,
      CONNECTOR_PULL_EXPIRES: 2_000,
      CONNECTOR_ACK_WAIT: 30_000,
      CONNECTOR_RETRY_DELAY_MIN: 10,
      CONNECTOR_RETRY_DELAY_MAX: 20,
      CONNECTOR_SIM_DELAY: { minMs: 5, maxMs: 10 },
      CONNECTOR_SIM_ACK_WAIT: 3_000,
      CONNECTOR_HEALTH_TTL: 9_000,
      CONNECTOR_SMPP_HOST: 'smsc.example.com',
      CONNECTOR_SMPP_SYSTEM_ID: 'esme',
      CONNECTOR_SMPP_RECONNECT_MIN: 2_000,
      CONNECTOR_SMPP_ENQUIRE_LINK_INTERVAL: 7_000,
    });
    expect(deprecatedVariablesOf(config)).toContainEqual({
      variable: 'SMPP_HOST',
      replacement: 'CONNECTOR_SMPP_HOST',
    });
    expect(deprecatedVariablesOf(config)).toHaveLength(13);
  });

  it('names only new names that follow the rule: CONNECTOR_ prefix, no unit', () => {
    for (const [old, current] of Object.entries(connectorRenamedVariables)) {
      expect(current, old).toMatch(/^CONNECTOR_/);
      expect(current, old).not.toMatch(/_MS$/);
      expect(Object.keys(connectorConfig.shape)).toContain(current);
    }
  });

  it('refuses an old name set beside its replacement to another value', () => {
    expect(() => loadConfig(connectorConfig, { SIM_DELAY_MS: '0', CONNECTOR_SIM_DELAY: '10' })).toThrow(
      /SIM_DELAY_MS: deprecated name of CONNECTOR_SIM_DELAY/,
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
