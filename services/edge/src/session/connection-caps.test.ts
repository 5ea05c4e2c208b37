/**
 * The front door over real sockets and real TLS (issue #14): TLS connections
 * that never finish their handshake are destroyed at the handshake deadline,
 * and the caps on open, per-address and unbound connections refuse the
 * excess at accept, counted in edge_connections_refused_total, while bound
 * customers and other addresses still get in.
 */
import { once } from 'node:events';
import net from 'node:net';
import { CommandStatus } from '@smsgw/smpp';
import { generate } from 'selfsigned';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  accountInput,
  bindClient,
  bindStatus,
  startEdge,
  startNatsFixture,
  type EdgeFixture,
  type NatsFixture,
} from '../edge.test-support.ts';

let nats: NatsFixture;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  nats = await startNatsFixture();
  await nats.store.create(accountInput('acme', { maxBinds: 100 }));
});

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

afterAll(async () => {
  await nats.stop();
});

/** A raw TCP connection from `localAddress` that the test closes at the end. */
function rawConnection(port: number, localAddress = '127.0.0.1'): net.Socket {
  const socket = net.connect({ host: '127.0.0.1', port, localAddress });
  socket.on('error', () => undefined);
  cleanups.push(() => socket.destroy());
  return socket;
}

/** Whether the server closed the socket before `ms` passed (an upper bound on waiting, never asserted as a time). */
async function closedWithin(socket: net.Socket, ms: number): Promise<boolean> {
  if (socket.destroyed) return true;
  const timer = new Promise<false>((resolve) => setTimeout(resolve, ms, false));
  return Promise.race([once(socket, 'close').then(() => true as const), timer]);
}

async function refusedCount(fx: EdgeFixture, reason: string): Promise<number> {
  const metric = await fx.registry.getSingleMetric('edge_connections_refused_total')?.get();
  return (
    metric?.values.filter((v) => v.labels['reason'] === reason).reduce((sum, v) => sum + v.value, 0) ?? 0
  );
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('TLS handshake deadline', () => {
  let fx: EdgeFixture;
  let plainPort: number;
  beforeAll(async () => {
    const pems = await generate([{ name: 'commonName', value: 'edge' }], {
      keySize: 2048,
      algorithm: 'sha256',
    });
    fx = await startEdge(nats, {
      tls: { cert: pems.cert, key: pems.private, minVersion: 'TLSv1.2' },
      tlsHandshakeTimeoutMs: 500,
    });
    plainPort = (await fx.edge.listen(0, '127.0.0.1')).address().port;
  });
  afterAll(async () => {
    await fx.stop();
  });

  it('destroys 200 connections that send no ClientHello or only a record header; plain SMPP still binds', async () => {
    const sockets = Array.from({ length: 200 }, (_, i) => {
      const socket = rawConnection(fx.port);
      if (i % 2 === 1) socket.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xc8]));
      return socket;
    });
    const closed = await Promise.all(sockets.map((socket) => closedWithin(socket, 20_000)));
    expect(closed.filter(Boolean)).toHaveLength(200);
    await until(() => fx.edge.connections.open === 0);
    const failures = await fx.registry.getSingleMetric('edge_tls_handshake_failures_total')?.get();
    expect(failures?.values[0]?.value).toBeGreaterThanOrEqual(200);
    expect(await bindStatus(plainPort, 'transmitter', 'acme')).toBe(CommandStatus.ESME_ROK);
  });
});

describe('connection caps', () => {
  let fx: EdgeFixture;
  beforeAll(async () => {
    fx = await startEdge(nats, {
      connectionLimits: { maxConnections: 30, maxPerAddress: 10, maxUnbound: 20 },
    });
  });
  afterAll(async () => {
    await fx.stop();
  });

  it('refuses more than maxPerAddress from one address; another address still connects', async () => {
    const before = await refusedCount(fx, 'per_address');
    const sockets = Array.from({ length: 15 }, () => rawConnection(fx.port, '127.0.0.2'));
    const closed = await Promise.all(sockets.map((socket) => closedWithin(socket, 1_000)));
    expect(closed.filter(Boolean)).toHaveLength(5);
    expect(await refusedCount(fx, 'per_address')).toBe(before + 5);
    expect(await bindStatus(fx.port, 'transmitter', 'acme')).toBe(CommandStatus.ESME_ROK);
  });

  it('refuses more than maxUnbound unbound connections, but bound sessions do not count against it', async () => {
    await until(() => fx.edge.connections.open === 0);
    const bound = await Promise.all(
      Array.from({ length: 5 }, () => bindClient(fx.port, 'transmitter', 'acme')),
    );
    cleanups.push(() => {
      for (const session of bound) session.close();
    });
    // 20 unbound from 127.0.0.3..4 (10 each, the per-address cap), then one more from 127.0.0.5.
    const unbound = Array.from({ length: 20 }, (_, i) => rawConnection(fx.port, `127.0.0.${3 + (i % 2)}`));
    await until(() => fx.edge.connections.unbound === 20);
    const extra = rawConnection(fx.port, '127.0.0.5');
    expect(await closedWithin(extra, 5_000)).toBe(true);
    expect(await refusedCount(fx, 'unbound')).toBeGreaterThanOrEqual(1);
    expect(unbound.filter((socket) => socket.destroyed)).toHaveLength(0);
    expect(bound.every((session) => session.state === 'bound_tx')).toBe(true);
  });

  it('refuses beyond maxConnections in all', async () => {
    await until(() => fx.edge.connections.open === 0);
    const bound = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        bindClient(fx.port, 'transmitter', 'acme', undefined, { localAddress: `127.0.1.${i % 4}` }),
      ),
    );
    cleanups.push(() => {
      for (const session of bound) session.close();
    });
    const unbound = Array.from({ length: 15 }, (_, i) => rawConnection(fx.port, `127.0.2.${i % 3}`));
    const closed = await Promise.all(unbound.map((socket) => closedWithin(socket, 1_000)));
    expect(closed.filter(Boolean)).toHaveLength(5);
    expect(await refusedCount(fx, 'max_connections')).toBe(5);
  });
});
