/**
 * The reachability guard on real servers: a client connected first to a
 * nats-server without JetStream (what a node that came back from a hang
 * looked like to its clients) leaves it after three "no responders" and
 * lands on the server of its pool that has JetStream; there the probes pass.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { captureLogger, getFreePort, startNatsServer, waitFor, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { guardJetStreamReachability } from './jetstream-reachability.ts';

let withJetStream: NatsServerHandle;
let plain: ChildProcess;
let plainUrl: string;
let nc: NatsConnection;

beforeAll(async () => {
  withJetStream = await startNatsServer({ backend: 'binary' });
  const port = await getFreePort();
  plainUrl = `nats://127.0.0.1:${port}`;
  // No -js: every JetStream subject gets "no responders".
  plain = spawn(
    process.env['NATS_SERVER_BIN'] ?? '/usr/sbin/nats-server',
    ['-a', '127.0.0.1', '-p', String(port)],
    {
      stdio: 'ignore',
    },
  );
  await waitFor('the plain server listening', async () => {
    try {
      await (await connect({ servers: plainUrl })).close();
      return true;
    } catch {
      return false;
    }
  });
  nc = await connect({
    servers: [plainUrl, withJetStream.url],
    noRandomize: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 100,
    waitOnFirstConnect: true,
  });
}, 30_000);

afterAll(async () => {
  await nc.close();
  plain.kill('SIGKILL');
  await withJetStream.stop();
});

it('leaves a server that offers no JetStream after three misses, and stays on one that does', async () => {
  expect(nc.getServer()).toBe(plainUrl.replace('nats://', ''));
  const { logger, lines } = captureLogger();
  const guard = guardJetStreamReachability({ nc, logger, probeEveryMs: 60_000 });
  try {
    expect(await guard.probe()).toBe(false);
    expect(await guard.probe()).toBe(false);
    expect(await guard.probe()).toBe(true);
    expect(
      lines().some((l) => l.msg === 'this NATS server offers no JetStream; reconnecting to another server'),
    ).toBe(true);
    // The pool's next server is the one with JetStream; should the client land on the plain one again,
    // three more misses send it on.
    await waitFor(
      'the client on the JetStream server',
      async () => {
        if (nc.getServer() === withJetStream.url.replace('nats://', '')) return true;
        await guard.probe();
        return false;
      },
      20_000,
    );
    for (let i = 0; i < 4; i++) expect(await guard.probe()).toBe(false);
    expect(guard.reconnects).toBeGreaterThanOrEqual(1);
  } finally {
    guard.stop();
  }
});
