import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { baseConfig, defineServiceConfig } from './base-config.ts';
import { ConfigError } from './config-error.ts';
import { env } from './env-shapes.ts';
import { loadConfig } from './load-config.ts';

describe('baseConfig', () => {
  it('has defaults for everything but SERVICE_NAME', () => {
    expect(loadConfig(baseConfig, { SERVICE_NAME: 'router' })).toEqual({
      SERVICE_NAME: 'router',
      POD_NAME: hostname(),
      LOG_LEVEL: 'info',
      ADMIN_HOST: '0.0.0.0',
      ADMIN_PORT: 9090,
      NATS_URL: ['nats://127.0.0.1:4222'],
      NATS_REPLICAS: 1,
      SHUTDOWN_GRACE: 25_000,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(baseConfig, {
      SERVICE_NAME: 'edge',
      POD_NAME: 'edge-7d9f-abcde',
      LOG_LEVEL: 'debug',
      ADMIN_HOST: '::',
      ADMIN_PORT: '9464',
      NATS_URL: 'nats://nats-0.nats:4222,nats://nats-1.nats:4222',
      NATS_REPLICAS: '3',
      SHUTDOWN_GRACE: '40s',
    });
    expect(config).toMatchObject({
      POD_NAME: 'edge-7d9f-abcde',
      LOG_LEVEL: 'debug',
      ADMIN_HOST: '::',
      ADMIN_PORT: 9464,
      NATS_URL: ['nats://nats-0.nats:4222', 'nats://nats-1.nats:4222'],
      NATS_REPLICAS: 3,
      SHUTDOWN_GRACE: 40_000,
    });
  });

  it('names every bad base variable', () => {
    const bad = { LOG_LEVEL: 'loud', NATS_REPLICAS: '7', ADMIN_PORT: 'x', NATS_URL: 'redis://r' };
    let error: unknown;
    try {
      loadConfig(baseConfig, bad);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.variable)).toEqual([
      'SERVICE_NAME',
      'LOG_LEVEL',
      'ADMIN_PORT',
      'NATS_URL',
      'NATS_REPLICAS',
    ]);
  });
});

describe('defineServiceConfig', () => {
  it('defaults SERVICE_NAME to the service and adds its own variables', () => {
    const schema = defineServiceConfig('edge', { SMPP_PORT: env.port().default(2775) });
    const config = loadConfig(schema, { SMPP_PORT: '12775' });
    expect(config.SERVICE_NAME).toBe('edge');
    expect(config.SMPP_PORT).toBe(12_775);
    expect(config.SHUTDOWN_GRACE).toBe(25_000);
    expect(loadConfig(schema, { SERVICE_NAME: 'edge-tls' }).SERVICE_NAME).toBe('edge-tls');
  });
});
