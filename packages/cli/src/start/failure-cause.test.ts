import { describe, expect, it } from 'vitest';
import { causeOfLine, FailureCause } from './failure-cause.ts';

/** What the router printed with its admin port taken (trimmed stack), as runService logs a failed start. */
const ADDRESS_IN_USE = JSON.stringify({
  level: 'fatal',
  time: '2026-12-05T04:23:29.742Z',
  service: 'router',
  err: {
    type: 'Error',
    message: 'listen EADDRINUSE: address already in use 127.0.0.1:31012',
    stack: 'Error: listen EADDRINUSE: address already in use 127.0.0.1:31012\n    at …',
    code: 'EADDRINUSE',
    errno: -98,
    syscall: 'listen',
    address: '127.0.0.1',
    port: 31012,
  },
  msg: 'router failed to start',
});

const BAD_CONFIG = JSON.stringify({
  level: 60,
  service: 'edge',
  err: { type: 'ConfigError', message: 'EDGE_SMPP_PORT: expected a port, got "x"' },
  msg: 'edge configuration is invalid',
});

describe('causeOfLine', () => {
  it('says which port is in use, from a fatal pino line', () => {
    expect(causeOfLine(ADDRESS_IN_USE)?.text).toBe('port 31012 is in use');
  });

  it("keeps the service's words and the error's message for any other failure", () => {
    expect(causeOfLine(BAD_CONFIG)?.text).toBe(
      'edge configuration is invalid: EDGE_SMPP_PORT: expected a port, got "x"',
    );
  });

  it("reads Node's uncaught-error line, and ignores ordinary lines", () => {
    expect(causeOfLine("Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'x'")?.text).toBe(
      "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'x'",
    );
    expect(causeOfLine('TypeError: boom')?.text).toBe('TypeError: boom');
    expect(causeOfLine(JSON.stringify({ level: 'info', msg: 'router started' }))).toBeUndefined();
    expect(causeOfLine('    at Server.setupListenHandle (node:net:2328:16)')).toBeUndefined();
    expect(causeOfLine('{not json')).toBeUndefined();
  });
});

describe('FailureCause', () => {
  it('keeps the first of the most telling lines: a fatal line over an earlier error line', () => {
    const cause = new FailureCause();
    cause.observe(JSON.stringify({ level: 'error', msg: 'NATS connection lost' }));
    expect(cause.text).toBe('NATS connection lost');
    cause.observe(ADDRESS_IN_USE);
    cause.observe(BAD_CONFIG);
    cause.observe('Error: later');
    expect(cause.text).toBe('port 31012 is in use');
  });
});
