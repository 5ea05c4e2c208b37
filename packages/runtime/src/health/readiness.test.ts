import { describe, expect, it } from 'vitest';
import { memoryLogger as captureLogger } from '../logging/memory-logger.ts';
import { Readiness } from './readiness.ts';

describe('Readiness', () => {
  it('is ready with no checks', async () => {
    expect(await new Readiness().check()).toEqual({ ready: true, shuttingDown: false, failing: [] });
  });

  it('is ready only when every check passes, sync or async', async () => {
    const readiness = new Readiness();
    let natsUp = false;
    readiness.register('listener', () => true);
    readiness.register('nats', () => Promise.resolve(natsUp));
    expect(await readiness.check()).toEqual({ ready: false, shuttingDown: false, failing: ['nats'] });
    natsUp = true;
    expect(await readiness.check()).toEqual({ ready: true, shuttingDown: false, failing: [] });
  });

  it('counts a throwing or rejecting check as failing', async () => {
    const readiness = new Readiness();
    readiness.register('throws', () => {
      throw new Error('boom');
    });
    readiness.register('rejects', () => Promise.reject(new Error('boom')));
    expect((await readiness.check()).failing).toEqual(['throws', 'rejects']);
  });

  it('fails a check that does not answer in time', async () => {
    const readiness = new Readiness({ checkTimeoutMs: 5 });
    readiness.register('hangs', () => new Promise<boolean>(() => undefined));
    readiness.register('fine', () => true);
    expect(await readiness.check()).toEqual({ ready: false, shuttingDown: false, failing: ['hangs'] });
  });

  it('is not ready once shutting down, whatever the checks say', async () => {
    const readiness = new Readiness();
    readiness.register('ok', () => true);
    readiness.setShuttingDown();
    readiness.setShuttingDown();
    expect(readiness.shuttingDown).toBe(true);
    expect(await readiness.check()).toEqual({ ready: false, shuttingDown: true, failing: [] });
  });

  it('does not answer ready when shutdown begins while checks run', async () => {
    const readiness = new Readiness();
    readiness.register('slow', async () => {
      await Promise.resolve();
      readiness.setShuttingDown();
      return true;
    });
    expect(await readiness.check()).toEqual({ ready: false, shuttingDown: true, failing: [] });
  });

  it('rejects duplicate names and unregisters', async () => {
    const readiness = new Readiness();
    const unregister = readiness.register('nats', () => false);
    expect(() => readiness.register('nats', () => true)).toThrow(/already registered/);
    unregister();
    expect((await readiness.check()).ready).toBe(true);
    readiness.register('nats', () => true);
    unregister(); // the old handle must not remove the new check
    readiness.register('other', () => false);
    expect(() => readiness.register('nats', () => true)).toThrow(/already registered/);
  });

  it('logs each change of a check once, not every probe', async () => {
    const { logger, lines } = captureLogger();
    const readiness = new Readiness({ logger });
    let up = true;
    readiness.register('nats', () => {
      if (!up) throw new Error('disconnected');
      return true;
    });
    await readiness.check();
    up = false;
    await readiness.check();
    await readiness.check();
    up = true;
    await readiness.check();
    await readiness.check();
    readiness.setShuttingDown();
    expect(lines().map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'readiness check fails'],
      ['info', 'readiness check passes again'],
      ['info', 'readiness: shutting down, reporting not ready'],
    ]);
    expect(lines()[0]).toMatchObject({ check: 'nats', outcome: 'error', err: { message: 'disconnected' } });
  });
});
