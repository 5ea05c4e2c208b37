/** The edge's configuration: defaults and the bounds of its own variables. */
import { ConfigError, deprecatedVariablesOf } from '@smsgw/runtime';
import { describe, expect, it } from 'vitest';
import { edgeRenamedVariables, loadEdgeConfig } from './config.ts';

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
    expect(loadEdgeConfig({}).DELIVER_WINDOW).toBe(10);
    expect(loadEdgeConfig({ DELIVER_WINDOW: '50' }).DELIVER_WINDOW).toBe(50);
    expect(() => loadEdgeConfig({ DELIVER_WINDOW: '0' })).toThrow(ConfigError);
  });

  it('still reads every old name (SMPP_*, TLS_*) when the new one is unset, as a deprecated use', () => {
    const config = loadEdgeConfig({
      SMPP_PORT: '2776',
      SMPP_HOST: '127.0.0.2',
      SMPP_TLS_PORT: '8776',
      TLS_CERT_FILE: '/c.pem',
      TLS_KEY_FILE: '/k.pem',
      TLS_RELOAD_INTERVAL: '1s',
      SMPP_SYSTEM_ID: 'gw',
      SMPP_WINDOW: '7',
      SMPP_DELIVER_WINDOW: '8',
      SMPP_BIND_TIMEOUT: '2s',
      SMPP_TLS_HANDSHAKE_TIMEOUT: '3s',
      SMPP_INACTIVITY_TIMEOUT: '4s',
      SMPP_ENQUIRE_LINK_INTERVAL: '5s',
    });
    expect(config).toMatchObject({
      EDGE_SMPP_PORT: 2776,
      EDGE_SMPP_HOST: '127.0.0.2',
      EDGE_SMPP_TLS_PORT: 8776,
      EDGE_TLS_CERT_FILE: '/c.pem',
      EDGE_TLS_KEY_FILE: '/k.pem',
      EDGE_TLS_RELOAD_INTERVAL: 1_000,
      EDGE_SMPP_SYSTEM_ID: 'gw',
      EDGE_SMPP_WINDOW: 7,
      DELIVER_WINDOW: 8,
      EDGE_SMPP_BIND_TIMEOUT: 2_000,
      EDGE_SMPP_TLS_HANDSHAKE_TIMEOUT: 3_000,
      EDGE_SMPP_INACTIVITY_TIMEOUT: 4_000,
      EDGE_SMPP_ENQUIRE_LINK_INTERVAL: 5_000,
    });
    expect(
      deprecatedVariablesOf(config)
        .map((d) => d.variable)
        .sort(),
    ).toEqual(Object.keys(edgeRenamedVariables).sort());
  });

  it('refuses an old name set beside its replacement to another value', () => {
    expect(() => loadEdgeConfig({ SMPP_DELIVER_WINDOW: '10', DELIVER_WINDOW: '20' })).toThrow(
      /SMPP_DELIVER_WINDOW: deprecated name of DELIVER_WINDOW/,
    );
  });
});
