import { ConfigError, deprecatedVariablesOf, loadConfig, memoryLogger } from '@smsgw/runtime';
import { describe, expect, it } from 'vitest';
import { bucketTtlMismatches, noteBucketTtls } from './bucket-ttls.ts';
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
    expect(config.CONNECTOR_TRY_NEXT_STATUSES).toEqual([]);
  });

  it('leaves the bucket TTLs unset unless given (the buckets have them: the provisioner sets them)', () => {
    const config = loadConfig(connectorConfig, {});
    expect([config.CONNECTOR_HEALTH_TTL, config.CONNECTOR_SMPP_UPSTREAM_ID_TTL]).toEqual([
      undefined,
      undefined,
    ]);
    const set = loadConfig(connectorConfig, {
      CONNECTOR_HEALTH_TTL: '9s',
      CONNECTOR_SMPP_UPSTREAM_ID_TTL: '72h',
    });
    expect([set.CONNECTOR_HEALTH_TTL, set.CONNECTOR_SMPP_UPSTREAM_ID_TTL]).toEqual([9_000, 72 * 3_600_000]);
    expect(() => loadConfig(connectorConfig, { CONNECTOR_SMPP_UPSTREAM_ID_TTL: '47h' })).toThrow(
      /CONNECTOR_SMPP_UPSTREAM_ID_TTL/,
    );
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

describe('the bucket TTLs the buckets hold', () => {
  const ttls = { connectorHealthTtlMs: 30_000, upstreamIdTtlMs: 7 * 24 * 3_600_000 };

  it('logs them, and warns once when a deprecated TTL variable is set, naming what differs', () => {
    const quiet = memoryLogger();
    noteBucketTtls(loadConfig(connectorConfig, {}), ttls, quiet.logger);
    expect(quiet.lines().map((l) => [l.level, l['ttls']])).toEqual([['info', ttls]]);
    const warned = memoryLogger();
    noteBucketTtls(
      loadConfig(connectorConfig, { CONNECTOR_HEALTH_TTL: '9s', CONNECTOR_SMPP_UPSTREAM_ID_TTL: '168h' }),
      ttls,
      warned.logger,
    );
    const warnings = warned.lines().filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toMatch(
      /^CONNECTOR_HEALTH_TTL, CONNECTOR_SMPP_UPSTREAM_ID_TTL on the connector are deprecated/,
    );
    expect(warnings[0]?.['differing']).toEqual({
      CONNECTOR_HEALTH_TTL: { configured: 9_000, bucket: 30_000 },
    });
  });

  it('leaves the upstream ids TTL out for a connector that uses no such bucket (sim)', () => {
    const warned = memoryLogger();
    noteBucketTtls(
      loadConfig(connectorConfig, { CONNECTOR_SMPP_UPSTREAM_ID_TTL: '72h' }),
      { connectorHealthTtlMs: 30_000 },
      warned.logger,
    );
    expect(warned.lines().filter((l) => l.level === 'warn')).toEqual([]);
    expect(
      bucketTtlMismatches(
        { CONNECTOR_HEALTH_TTL: 30_000, CONNECTOR_SMPP_UPSTREAM_ID_TTL: 72 * 3_600_000 },
        { connectorHealthTtlMs: 30_000 },
      ),
    ).toEqual({});
  });
});
