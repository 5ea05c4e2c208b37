/** trackConnection against a real nats-server that goes away and comes back. */
import { captureLogger, startNatsServer, waitFor, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from './connect.ts';
import { trackConnection } from './connection-state.ts';

let server: NatsServerHandle;

beforeAll(async () => {
  server = await startNatsServer();
});

afterAll(async () => {
  await server.stop();
});

describe('trackConnection', () => {
  it('is false while the connection is lost, true again once it is back, false once closed', async () => {
    const nc = await connectNats({
      ...server.connectOptions,
      name: 'connection-state-test',
      waitOnFirstConnect: false,
      reconnectTimeWait: 100,
      reconnectJitter: 0,
    });
    const { logger, lines } = captureLogger();
    const connected = trackConnection(nc, logger);
    expect(connected()).toBe(true);

    await server.kill();
    await waitFor('the loss noticed', () => !connected());
    await server.restart();
    await waitFor('the connection back', () => connected(), 15_000);
    expect(lines().map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'NATS connection lost; reconnecting'],
      ['info', 'NATS connection back'],
    ]);

    await nc.close();
    expect(connected()).toBe(false);
  });
});
