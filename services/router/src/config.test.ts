import { ConfigError, deprecatedVariablesOf } from '@smsgw/runtime';
import { describe, expect, it } from 'vitest';
import { loadRouterConfig } from './config.ts';

describe('loadRouterConfig', () => {
  it('has a default for everything', () => {
    const config = loadRouterConfig({});
    expect(config).toMatchObject({
      SERVICE_NAME: 'router',
      ROUTER_BATCH_SIZE: 256,
      ROUTER_PULL_EXPIRES: 5_000,
      ROUTER_CONCURRENCY: 64,
      ROUTER_ACK_WAIT: 10_000,
      ROUTER_RETRY_DELAY_MIN: 1_000,
      ROUTER_RETRY_DELAY_MAX: 30_000,
      ROUTER_DEFAULT_ROUTE: ['sim'],
      ROUTER_FAILOVER_AFTER: 30_000,
    });
  });

  it('reads the default route as an ordered connector list, and the failover delay', () => {
    const config = loadRouterConfig({
      ROUTER_DEFAULT_ROUTE: 'upstream, sim',
      ROUTER_FAILOVER_AFTER: '5s',
    });
    expect(config.ROUTER_DEFAULT_ROUTE).toEqual(['upstream', 'sim']);
    expect(config.ROUTER_FAILOVER_AFTER).toBe(5_000);
    for (const bad of ['a,a', 'a.b', ',']) {
      expect(() => loadRouterConfig({ ROUTER_DEFAULT_ROUTE: bad })).toThrow(/ROUTER_DEFAULT_ROUTE/);
    }
  });

  it('still reads ROUTER_FAILOVER_AFTER_MS when ROUTER_FAILOVER_AFTER is unset, as a deprecated use', () => {
    const config = loadRouterConfig({ ROUTER_FAILOVER_AFTER_MS: '5000' });
    expect(config.ROUTER_FAILOVER_AFTER).toBe(5_000);
    expect(deprecatedVariablesOf(config)).toEqual([
      { variable: 'ROUTER_FAILOVER_AFTER_MS', replacement: 'ROUTER_FAILOVER_AFTER' },
    ]);
    expect(() => loadRouterConfig({ ROUTER_FAILOVER_AFTER_MS: '5000', ROUTER_FAILOVER_AFTER: '6s' })).toThrow(
      /ROUTER_FAILOVER_AFTER_MS: deprecated name of ROUTER_FAILOVER_AFTER/,
    );
  });

  it('reads durations and counts', () => {
    const config = loadRouterConfig({
      ROUTER_BATCH_SIZE: '50',
      ROUTER_PULL_EXPIRES: '1s',
      ROUTER_CONCURRENCY: '4',
      ROUTER_ACK_WAIT: '2s',
      ROUTER_RETRY_DELAY_MIN: '250ms',
      ROUTER_RETRY_DELAY_MAX: '1m',
    });
    expect(config).toMatchObject({
      ROUTER_BATCH_SIZE: 50,
      ROUTER_PULL_EXPIRES: 1_000,
      ROUTER_CONCURRENCY: 4,
      ROUTER_ACK_WAIT: 2_000,
      ROUTER_RETRY_DELAY_MIN: 250,
      ROUTER_RETRY_DELAY_MAX: 60_000,
    });
  });

  it('names every bad variable', () => {
    expect(() =>
      loadRouterConfig({
        ROUTER_BATCH_SIZE: '0',
        ROUTER_PULL_EXPIRES: '500ms',
        ROUTER_RETRY_DELAY_MAX: '5m',
      }),
    ).toThrow(/ROUTER_BATCH_SIZE.*ROUTER_PULL_EXPIRES.*ROUTER_RETRY_DELAY_MAX/);
  });

  it('refuses a minimum retry delay above the maximum', () => {
    const load = () => loadRouterConfig({ ROUTER_RETRY_DELAY_MIN: '10s', ROUTER_RETRY_DELAY_MAX: '5s' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/ROUTER_RETRY_DELAY_MIN: must not exceed ROUTER_RETRY_DELAY_MAX/);
  });
});
