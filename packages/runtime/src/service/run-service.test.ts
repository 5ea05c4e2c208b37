import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.ts';
import { defineServiceConfig } from '../config/base-config.ts';
import { loadConfig } from '../config/load-config.ts';
import { getFreePort } from '../local/free-port.ts';
import { runService, type ServiceContext } from './run-service.ts';

const schema = defineServiceConfig('demo', {});
type DemoConfig = ReturnType<typeof loadDemo>;
let adminPort = 0;
function loadDemo() {
  return loadConfig(schema, { ADMIN_HOST: '127.0.0.1', ADMIN_PORT: String(adminPort), LOG_LEVEL: 'silent' });
}

beforeEach(async () => {
  adminPort = await getFreePort();
});

/** Runs a service with exit captured; resolves with the exit code once exit is called. */
function exitCode(): { exit: (code: number) => void; code: Promise<number> } {
  let resolve: (code: number) => void = () => undefined;
  const code = new Promise<number>((r) => (resolve = r));
  return {
    exit: (c) => {
      resolve(c);
    },
    code,
  };
}

describe('runService', () => {
  it('exits 1 without starting when the configuration is invalid', async () => {
    const { exit, code } = exitCode();
    let started = false;
    await runService({
      name: 'demo',
      loadConfig: () => {
        throw new ConfigError([{ variable: 'DEMO_PORT', message: 'expected an integer' }]);
      },
      start: () => {
        started = true;
        return Promise.resolve();
      },
      exit,
    });
    expect(await code).toBe(1);
    expect(started).toBe(false);
  });

  it('hands start the context, and a later shutdown runs its hooks and exits 0', async () => {
    const { exit, code } = exitCode();
    let context: ServiceContext<DemoConfig> | undefined;
    const closed: string[] = [];
    await runService({
      name: 'demo',
      loadConfig: loadDemo,
      start: (ctx) => {
        context = ctx;
        ctx.shutdown.onShutdown('work', () => void closed.push('work'), 'drain');
        return Promise.resolve();
      },
      exit,
    });
    expect(context?.config.SERVICE_NAME).toBe('demo');
    expect((await context!.readiness.check()).ready).toBe(true);
    await context!.shutdown.run('test');
    expect(await code).toBe(0);
    expect(closed).toEqual(['work']);
  });

  it('shuts down what a failed start opened and exits 1', async () => {
    const { exit, code } = exitCode();
    const closed: string[] = [];
    await runService({
      name: 'demo',
      loadConfig: loadDemo,
      start: (ctx) => {
        ctx.shutdown.onShutdown('opened', () => void closed.push('opened'), 'close');
        return Promise.reject(new Error('NATS unreachable'));
      },
      exit,
    });
    expect(await code).toBe(1);
    expect(closed).toEqual(['opened']);
  });
});
