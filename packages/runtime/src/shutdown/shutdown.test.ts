import { afterEach, describe, expect, it, vi } from 'vitest';
import { Readiness } from '../health/readiness.ts';
import { memoryLogger as captureLogger } from '../logging/memory-logger.ts';
import { createShutdown } from './shutdown.ts';
import type { ShutdownOptions } from './shutdown.ts';

/** A promise with its resolve exposed, to hold a hook open until the test lets it go. */
function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

function setup(options: Partial<ShutdownOptions> = {}) {
  const { logger, lines } = captureLogger();
  const readiness = new Readiness();
  const exit = vi.fn<(code: number) => void>();
  const shutdown = createShutdown({ logger, readiness, exit, graceMs: 10_000, ...options });
  const messages = () => lines().map((l) => l.msg);
  return { shutdown, readiness, exit, lines, messages };
}

const uninstallers: (() => void)[] = [];
afterEach(() => {
  for (const uninstall of uninstallers.splice(0)) uninstall();
});

describe('createShutdown', () => {
  it('turns unready first, then runs the phases in order and exits 0', async () => {
    const { shutdown, readiness, exit } = setup();
    const order: string[] = [];
    shutdown.onShutdown(
      'nats',
      () => void order.push(`close:nats ready=${String(readiness.shuttingDown)}`),
      'close',
    );
    shutdown.onShutdown('sessions', () => void order.push('drain:sessions'), 'drain');
    shutdown.onShutdown(
      'listener',
      () => void order.push(`intake:listener shuttingDown=${String(readiness.shuttingDown)}`),
      'intake',
    );
    shutdown.onShutdown(
      'presence',
      async () => {
        await Promise.resolve();
        order.push('intake:presence');
      },
      'intake',
    );
    const outcome = await shutdown.run('test');
    expect(order).toEqual([
      'intake:listener shuttingDown=true',
      'intake:presence',
      'drain:sessions',
      'close:nats ready=true',
    ]);
    expect(outcome).toEqual({ exitCode: 0, timedOut: false, failed: [], abandoned: [] });
    expect(exit).toHaveBeenCalledExactlyOnceWith(0);
  });

  it('runs the hooks of one phase concurrently and waits for all before the next phase', async () => {
    const { shutdown } = setup();
    const a = gate();
    const b = gate();
    const events: string[] = [];
    shutdown.onShutdown(
      'a',
      async () => {
        events.push('a started');
        await a.promise;
        events.push('a done');
      },
      'drain',
    );
    shutdown.onShutdown(
      'b',
      async () => {
        events.push('b started');
        await b.promise;
        events.push('b done');
      },
      'drain',
    );
    shutdown.onShutdown('after', () => void events.push('close'), 'close');
    const running = shutdown.run('test');
    await vi.waitFor(() => {
      expect(events).toEqual(['a started', 'b started']);
    });
    b.open();
    await vi.waitFor(() => {
      expect(events).toContain('b done');
    });
    expect(events).not.toContain('close');
    a.open();
    await running;
    expect(events).toEqual(['a started', 'b started', 'b done', 'a done', 'close']);
  });

  it('logs failing hooks and still runs the later phases, exiting 0', async () => {
    const { shutdown, exit, lines } = setup();
    const ran: string[] = [];
    shutdown.onShutdown(
      'throws',
      () => {
        throw new Error('listener already closed');
      },
      'intake',
    );
    shutdown.onShutdown('rejects', () => Promise.reject(new Error('nak failed')), 'drain');
    shutdown.onShutdown('nats', () => void ran.push('nats'), 'close');
    const outcome = await shutdown.run('test');
    expect(ran).toEqual(['nats']);
    expect(outcome).toMatchObject({ exitCode: 0, failed: ['throws', 'rejects'] });
    expect(exit).toHaveBeenCalledWith(0);
    const errors = lines().filter((l) => l.msg === 'shutdown hook failed');
    expect(errors).toEqual([
      expect.objectContaining({
        level: 'error',
        hook: 'throws',
        phase: 'intake',
        err: expect.objectContaining({ message: 'listener already closed' }) as unknown,
      }),
      expect.objectContaining({
        level: 'error',
        hook: 'rejects',
        phase: 'drain',
        err: expect.objectContaining({ message: 'nak failed' }) as unknown,
      }),
    ]);
  });

  it('abandons hooks still running when the grace period runs out, skips later phases and exits 1', async () => {
    vi.useFakeTimers();
    try {
      const { shutdown, exit, lines } = setup({ graceMs: 25_000 });
      let abortedWith: unknown;
      shutdown.onShutdown('quick', () => undefined, 'drain');
      shutdown.onShutdown(
        'stuck',
        ({ signal }) =>
          new Promise<void>(() => {
            signal.addEventListener('abort', () => {
              abortedWith = signal.reason as unknown;
            });
          }),
        'drain',
      );
      const closed = vi.fn();
      shutdown.onShutdown('nats', closed, 'close');
      const running = shutdown.run('SIGTERM');
      await vi.advanceTimersByTimeAsync(24_999);
      expect(exit).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      const outcome = await running;
      expect(outcome).toEqual({ exitCode: 1, timedOut: true, failed: [], abandoned: ['stuck'] });
      expect(exit).toHaveBeenCalledExactlyOnceWith(1);
      expect(closed).not.toHaveBeenCalled();
      expect(abortedWith).toBeInstanceOf(Error);
      expect(lines()).toContainEqual(
        expect.objectContaining({
          level: 'error',
          phase: 'drain',
          abandoned: ['stuck'],
          skippedPhases: ['close'],
          msg: 'shutdown grace period ran out; abandoning the hooks still running',
        }),
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('is idempotent: run returns the same promise and runs every hook once', async () => {
    const { shutdown, exit } = setup();
    const hook = vi.fn();
    shutdown.onShutdown('once', hook, 'drain');
    expect(shutdown.started).toBe(false);
    const first = shutdown.run('first');
    expect(shutdown.run('second')).toBe(first);
    expect(shutdown.started).toBe(true);
    await first;
    expect(shutdown.run('third')).toBe(first);
    expect(hook).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ reason: 'first' }));
    expect(exit).toHaveBeenCalledTimes(1);
  });

  it('removes hooks, and runs hooks added during shutdown', async () => {
    const { shutdown, messages } = setup();
    const ran: string[] = [];
    const remove = shutdown.onShutdown('removed', () => void ran.push('removed'), 'drain');
    remove();
    shutdown.onShutdown(
      'intake',
      () => {
        // A later phase that has not begun: runs with it. An earlier or current one: runs at once.
        shutdown.onShutdown('late-close', () => void ran.push('late-close'), 'close');
        shutdown.onShutdown('late-intake', () => void ran.push('late-intake'), 'intake');
      },
      'intake',
    );
    shutdown.onShutdown('drain', () => void ran.push('drain'), 'drain');
    let again: unknown;
    shutdown.onShutdown('reentrant', () => void (again = shutdown.run('again')), 'intake');
    const running = shutdown.run('test');
    await running;
    expect(again).toBe(running);
    expect(ran).toEqual(['late-intake', 'drain', 'late-close']);
    shutdown.onShutdown('too-late', () => void ran.push('too-late'), 'close');
    expect(ran).not.toContain('too-late');
    expect(messages()).toContain('shutdown hook added after shutdown finished; not run');
  });

  it('runs on SIGTERM and only logs a second SIGTERM or SIGINT', async () => {
    const { shutdown, exit, messages, lines } = setup();
    const drained = gate();
    const hook = vi.fn(() => drained.promise);
    shutdown.onShutdown('sessions', hook, 'drain');
    uninstallers.push(shutdown.installSignalHandlers());
    process.emit('SIGTERM', 'SIGTERM');
    expect(shutdown.started).toBe(true);
    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGINT', 'SIGINT');
    drained.open();
    const outcome = await shutdown.run('ignored');
    expect(outcome.exitCode).toBe(0);
    expect(hook).toHaveBeenCalledOnce();
    expect(hook).toHaveBeenCalledWith(expect.objectContaining({ reason: 'SIGTERM' }));
    expect(exit).toHaveBeenCalledExactlyOnceWith(0);
    expect(
      messages().filter((m) => m === 'signal received while shutting down; shutdown continues'),
    ).toHaveLength(2);
    expect(lines()).toContainEqual(expect.objectContaining({ msg: 'shutdown started', reason: 'SIGTERM' }));
  });

  it('uninstalls its signal handlers', () => {
    const { shutdown } = setup();
    const before = process.listenerCount('SIGTERM');
    const uninstall = shutdown.installSignalHandlers(['SIGTERM']);
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    uninstall();
    expect(process.listenerCount('SIGTERM')).toBe(before);
    expect(process.listenerCount('SIGINT')).toBe(process.listenerCount('SIGINT'));
  });
});
