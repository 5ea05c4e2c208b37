// The admin endpoints Kubernetes and Prometheus talk to, on their own port (never the SMPP one):
//   GET /livez    200 while the event loop answers; consults nothing else, so a NATS outage
//                 turns pods unready instead of restarting them.
//   GET /readyz   200 when every readiness check passes and shutdown has not begun, else 503
//                 with {"status":"not ready","shuttingDown":…,"failing":[…]}.
//   GET /metrics  the service's prom-client registry in Prometheus text format.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Readiness } from '../health/readiness.ts';

/** Options of startAdminServer. */
export interface AdminServerOptions {
  /** Listen address (ADMIN_HOST). */
  readonly host: string;
  /** Listen port (ADMIN_PORT); 0 picks a free one, as tests do. */
  readonly port: number;
  /** The registry /metrics serves. */
  readonly registry: Registry;
  /** The checks /readyz answers from. */
  readonly readiness: Readiness;
  /** Where request failures are logged. */
  readonly logger?: Logger;
}

/** A running admin server. */
export interface AdminServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** Stops listening and closes its connections; idempotent. Belongs in the shutdown's 'close' phase. */
  close(): Promise<void>;
}

/** In-flight requests (a scrape, a probe) get this long to finish once close() is called. */
const closeGraceMs = 1000;

const paths = new Set(['/livez', '/readyz', '/metrics']);

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`);
}

async function handle(req: IncomingMessage, res: ServerResponse, options: AdminServerOptions): Promise<void> {
  const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
  if (!paths.has(path)) {
    sendJson(res, 404, { error: 'not found' });
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    sendJson(res, 405, { error: 'method not allowed' });
    return;
  }
  switch (path) {
    case '/livez':
      send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
      return;
    case '/readyz': {
      const report = await options.readiness.check();
      if (report.ready) sendJson(res, 200, { status: 'ready' });
      else
        sendJson(res, 503, {
          status: 'not ready',
          shuttingDown: report.shuttingDown,
          failing: report.failing,
        });
      return;
    }
    default: {
      const text = await options.registry.metrics();
      send(res, 200, options.registry.contentType, text);
    }
  }
}

/** Starts the admin HTTP server (node:http) and resolves once it listens. */
export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const { logger } = options;
  const server = createServer((req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      logger?.error({ err: error, path: req.url }, 'admin request failed');
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger?.error({ err: error }, 'admin server error'));
  const { port } = server.address() as AddressInfo;
  logger?.info({ host: options.host, port }, 'admin server listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      // Idle keep-alive connections (Prometheus, kubelet) would hold close() open: end them now,
      // and cut whatever is still in flight after a short grace.
      const force = setTimeout(() => {
        server.closeAllConnections();
      }, closeGraceMs);
      force.unref();
      server.close((error) => {
        clearTimeout(force);
        if (error) reject(error);
        else resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };
  return { port, close };
}
