import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { memoryLogger as captureLogger } from './memory-logger.ts';
import { componentLogger, createLogger } from './logger.ts';

describe('createLogger', () => {
  it('writes one JSON object per line with the base fields', () => {
    const { logger, chunks, lines } = captureLogger({ service: 'edge', pod: 'edge-0' });
    logger.info('started');
    logger.warn({ sessions: 3 }, 'draining\nnow');
    // One write per event, each a single line: the embedded newline is escaped inside the JSON.
    expect(chunks).toHaveLength(2);
    for (const chunk of chunks) expect(chunk).toMatch(/^\{[^\n]*\}\n$/);
    const [first, second] = lines();
    expect(first).toMatchObject({ level: 'info', service: 'edge', pod: 'edge-0', msg: 'started' });
    expect(new Date(first?.time ?? 0).toISOString()).toBe(first?.time);
    expect(second).toMatchObject({ level: 'warn', sessions: 3, msg: 'draining\nnow' });
    expect(first).not.toHaveProperty('pid');
    expect(first).not.toHaveProperty('hostname');
  });

  it('defaults pod to the hostname and level to info', () => {
    const written: string[] = [];
    const logger = createLogger({
      service: 'router',
      destination: { write: (chunk) => void written.push(chunk) },
    });
    logger.debug('hidden');
    logger.info('shown');
    expect(written.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({ pod: hostname(), msg: 'shown' }),
    ]);
  });

  it('honours the level', () => {
    const { logger, lines } = captureLogger({ service: 'router', level: 'debug' });
    logger.trace('hidden');
    logger.debug('shown');
    expect(lines().map((l) => l['msg'])).toEqual(['shown']);
  });

  it('redacts password fields at the top level and one level down', () => {
    const { logger, chunks, lines } = captureLogger({ service: 'edge' });
    logger.info({ password: 'p1', passwordHash: 'h1' }, 'top');
    logger.info({ bind: { systemId: 'acme', password: 'p2' }, account: { passwordHash: 'h2' } }, 'nested');
    const [top, nested] = lines();
    expect(top).toMatchObject({ password: '[Redacted]', passwordHash: '[Redacted]' });
    expect(nested).toMatchObject({
      bind: { systemId: 'acme', password: '[Redacted]' },
      account: { passwordHash: '[Redacted]' },
    });
    expect(chunks.join('')).not.toMatch(/p1|p2|h1|h2/);
  });

  it('serializes err with type, message, stack and cause', () => {
    const { logger, lines } = captureLogger({ service: 'edge' });
    class NatsDown extends Error {
      readonly code = 'CONNECTION_REFUSED';
    }
    logger.error({ err: new Error('publish failed', { cause: new NatsDown('refused') }) }, 'submit failed');
    const [line] = lines();
    expect(line?.err).toMatchObject({
      type: 'Error',
      message: 'publish failed',
      stack: expect.stringContaining('publish failed') as unknown,
      cause: { type: 'NatsDown', message: 'refused', code: 'CONNECTION_REFUSED' },
    });
  });

  it('merges the mixin into every line, children included', () => {
    let traceId = 'a'.repeat(32);
    const { logger, lines } = captureLogger({ service: 'edge', mixin: () => ({ trace_id: traceId }) });
    logger.info('one');
    traceId = 'b'.repeat(32);
    componentLogger(logger, 'session').info('two');
    expect(lines().map((l) => l['trace_id'])).toEqual(['a'.repeat(32), 'b'.repeat(32)]);
  });

  it('gives components child loggers with the base fields and their own bindings', () => {
    const { logger, lines } = captureLogger({ service: 'edge', pod: 'edge-1' });
    const session = componentLogger(logger, 'session', { sessionId: 's-1' });
    session.info({ password: 'secret' }, 'bound');
    expect(lines()).toEqual([
      expect.objectContaining({
        service: 'edge',
        pod: 'edge-1',
        component: 'session',
        sessionId: 's-1',
        password: '[Redacted]',
        msg: 'bound',
      }),
    ]);
  });
});
