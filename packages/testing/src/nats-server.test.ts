import { existsSync } from 'node:fs';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsFixtureError } from './errors.ts';
import { startNatsServer } from './nats-server.ts';
import type { NatsServerHandle } from './nats-server-handle.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Calls the JetStream API with the core client (this package does not depend on @nats-io/jetstream). */
async function jsApi(nc: NatsConnection, subject: string, body?: unknown): Promise<Record<string, unknown>> {
  const data = body === undefined ? undefined : encoder.encode(JSON.stringify(body));
  const reply = await nc.request(`$JS.API.${subject}`, data, { timeout: 5_000 });
  const parsed = JSON.parse(decoder.decode(reply.data)) as Record<string, unknown>;
  if (parsed['error'] !== undefined)
    throw new Error(`JetStream API error: ${JSON.stringify(parsed['error'])}`);
  return parsed;
}

async function storedMessages(nc: NatsConnection, stream: string): Promise<number> {
  const info = await jsApi(nc, `STREAM.INFO.${stream}`);
  return (info['state'] as { messages: number }).messages;
}

/** Resolves on the connection's next 'reconnect' status event. */
async function nextReconnect(nc: NatsConnection): Promise<void> {
  for await (const status of nc.status()) {
    if (status.type === 'reconnect') return;
  }
}

describe('startNatsServer', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({
      ...server.connectOptions,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 50,
      reconnectJitter: 0,
    });
  });

  afterAll(async () => {
    await nc.close();
    await server.stop();
  });

  it('runs a server with JetStream on a port of its own', async () => {
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    expect(server.port).not.toBe(4222);
    const account = await jsApi(nc, 'INFO');
    expect(account['type']).toBe('io.nats.jetstream.api.v1.account_info_response');
  });

  it('stores messages in a file-backed stream', async () => {
    await jsApi(nc, 'STREAM.CREATE.SURVIVE', { name: 'SURVIVE', subjects: ['survive.>'], storage: 'file' });
    for (let i = 0; i < 3; i++) {
      const ack = await nc.request(`survive.${i}`, encoder.encode(`m${i}`), { timeout: 5_000 });
      expect(JSON.parse(decoder.decode(ack.data))).toMatchObject({ stream: 'SURVIVE', seq: i + 1 });
    }
    expect(await storedMessages(nc, 'SURVIVE')).toBe(3);
  });

  it('kill() takes the server down hard: new connections are refused', async () => {
    await server.kill();
    expect(server.pid).toBeUndefined();
    await expect(connect({ ...server.connectOptions, reconnect: false, timeout: 1_000 })).rejects.toThrow();
  });

  it('restart() after kill() comes back on the same port; clients reconnect and the stream survived', async () => {
    const port = server.port;
    const reconnected = nextReconnect(nc);
    await server.restart();
    await reconnected;
    expect(server.port).toBe(port);
    expect(server.pid).toBeTypeOf('number');
    expect(await storedMessages(nc, 'SURVIVE')).toBe(3);
  });

  it('restart() of a running server stops it gracefully first and keeps the data', async () => {
    const pid = server.pid;
    const reconnected = nextReconnect(nc);
    await server.restart();
    await reconnected;
    expect(server.pid).not.toBe(pid);
    expect(await storedMessages(nc, 'SURVIVE')).toBe(3);
  });

  it('stop() ends the server, removes its store and cannot be undone', async () => {
    const storeDir = server.storeDir;
    expect(storeDir).toBeDefined();
    await server.stop();
    await server.stop();
    expect(existsSync(storeDir ?? '')).toBe(false);
    await expect(connect({ ...server.connectOptions, reconnect: false, timeout: 1_000 })).rejects.toThrow();
    await expect(server.restart()).rejects.toThrow(NatsFixtureError);
    await expect(server.kill()).rejects.toThrow(NatsFixtureError);
  });
});

describe('startNatsServer backend choice', () => {
  it('rejects an unknown SMSGW_TEST_NATS value', async () => {
    const saved = process.env['SMSGW_TEST_NATS'];
    process.env['SMSGW_TEST_NATS'] = 'docker';
    try {
      await expect(startNatsServer()).rejects.toThrow(/SMSGW_TEST_NATS must be/);
    } finally {
      if (saved === undefined) delete process.env['SMSGW_TEST_NATS'];
      else process.env['SMSGW_TEST_NATS'] = saved;
    }
  });

  it('fails loudly when the container backend is forced but no engine answers', async () => {
    const saved = process.env['DOCKER_HOST'];
    process.env['DOCKER_HOST'] = 'unix:///nonexistent/smsgw-test-docker.sock';
    try {
      await expect(startNatsServer({ backend: 'container' })).rejects.toThrow(NatsFixtureError);
    } finally {
      if (saved === undefined) delete process.env['DOCKER_HOST'];
      else process.env['DOCKER_HOST'] = saved;
    }
  });
});
