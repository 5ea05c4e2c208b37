import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Readiness } from '../health/readiness.ts';
import { memoryLogger as captureLogger } from '../logging/memory-logger.ts';
import { createMetrics } from '../metrics/metrics.ts';
import { startAdminServer } from './admin-server.ts';
import type { AdminServer } from './admin-server.ts';

const servers: AdminServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: { defaultMetrics?: boolean } = {}) {
  const metrics = createMetrics({ service: 'edge', defaultMetrics: options.defaultMetrics ?? false });
  const readiness = new Readiness({ checkTimeoutMs: 50 });
  const { logger, lines } = captureLogger({ service: 'edge' });
  const server = await startAdminServer({
    host: '127.0.0.1',
    port: 0,
    registry: metrics.registry,
    readiness,
    logger,
  });
  servers.push(server);
  const get = (path: string, method = 'GET') =>
    fetch(`http://127.0.0.1:${server.port}${path}`, { method }).then(async (res) => ({
      status: res.status,
      type: res.headers.get('content-type'),
      body: await res.text(),
    }));
  return { server, metrics, readiness, lines, get };
}

describe('startAdminServer', () => {
  it('binds a free port when asked for port 0', async () => {
    const { server } = await start();
    expect(server.port).toBeGreaterThan(0);
  });

  it('answers /livez with 200', async () => {
    const { get } = await start();
    expect(await get('/livez')).toEqual({ status: 200, type: 'text/plain; charset=utf-8', body: 'ok\n' });
  });

  it('answers /readyz 200 while every check passes, 503 naming the failing ones otherwise', async () => {
    const { get, readiness } = await start();
    let natsUp = true;
    readiness.register('listener', () => true);
    readiness.register('nats', () => natsUp);
    expect(await get('/readyz')).toEqual({
      status: 200,
      type: 'application/json; charset=utf-8',
      body: '{"status":"ready"}\n',
    });
    natsUp = false;
    const failing = await get('/readyz');
    expect(failing.status).toBe(503);
    expect(JSON.parse(failing.body)).toEqual({ status: 'not ready', shuttingDown: false, failing: ['nats'] });
    natsUp = true;
    expect((await get('/readyz?verbose=1')).status).toBe(200);
  });

  it('flips /readyz to 503 once shutdown begins, while /livez stays 200', async () => {
    const { get, readiness } = await start();
    readiness.register('nats', () => true);
    expect((await get('/readyz')).status).toBe(200);
    readiness.setShuttingDown();
    const res = await get('/readyz');
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toEqual({ status: 'not ready', shuttingDown: true, failing: [] });
    expect((await get('/livez')).status).toBe(200);
  });

  it('serves default and custom metrics in Prometheus text format', async () => {
    const { get, metrics } = await start({ defaultMetrics: true });
    metrics.counter({ name: 'smsgw_submit_total', help: 'Submits accepted' }).inc(3);
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body).toContain('# TYPE smsgw_submit_total counter');
    expect(res.body).toContain('smsgw_submit_total{service="edge"} 3');
    expect(res.body).toMatch(/^process_resident_memory_bytes\{service="edge"\} \d+/m);
    expect(res.body).toMatch(/^nodejs_eventloop_lag_seconds\{service="edge"\} /m);
  });

  it('answers 404 elsewhere and 405 for other methods', async () => {
    const { get } = await start();
    expect((await get('/')).status).toBe(404);
    expect((await get('/healthz')).status).toBe(404);
    expect((await get('/livez', 'POST')).status).toBe(405);
    const head = await get('/livez', 'HEAD');
    expect(head).toMatchObject({ status: 200, body: '' });
  });

  it('answers 500 and logs when collecting metrics fails', async () => {
    const { get, metrics, lines } = await start();
    metrics.gauge({
      name: 'broken',
      help: 'A gauge whose collect throws',
      collect() {
        throw new Error('collector broke');
      },
    });
    const res = await get('/metrics');
    expect(res.status).toBe(500);
    expect(lines()).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'admin request failed', path: '/metrics' }),
    );
  });

  it('rejects when the port is taken', async () => {
    const { server } = await start();
    await expect(
      startAdminServer({
        host: '127.0.0.1',
        port: server.port,
        registry: createMetrics({ service: 'x', defaultMetrics: false }).registry,
        readiness: new Readiness(),
      }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('closes idempotently, with a keep-alive connection open', async () => {
    const { server } = await start();
    const agentResponse = await new Promise<number>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port: server.port,
        path: '/livez',
        headers: { connection: 'keep-alive' },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => {
          resolve(res.statusCode ?? 0);
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(agentResponse).toBe(200);
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
    await expect(fetch(`http://127.0.0.1:${server.port}/livez`)).rejects.toThrow();
  });
});
