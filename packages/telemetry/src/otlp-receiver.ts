/**
 * Test support: an OTLP/HTTP trace receiver on 127.0.0.1 (what Jaeger or a
 * collector offers on 4318), so that tests see what services really export
 * over the wire. Accepts POST /v1/traces with protobuf bodies (the exporters'
 * default, http/protobuf), gzip or not, and keeps every span.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { TelemetryError } from './errors.ts';
import { decodeTraceRequest, type ReceivedSpan } from './otlp-decode.ts';

/** A running receiver. */
export interface OtlpReceiver {
  /** The base URL, for OTEL_EXPORTER_OTLP_ENDPOINT (`http://127.0.0.1:<port>`). */
  readonly url: string;
  /** Every span received so far. */
  spans(): ReceivedSpan[];
  /** Export requests received (and the ones that could not be decoded). */
  readonly requests: { readonly ok: number; readonly failed: number };
  /** Resolves once `predicate` holds for the spans received, polling; throws after `timeoutMs`. */
  waitFor(predicate: (spans: ReceivedSpan[]) => boolean, timeoutMs: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}

/** Starts a receiver on a free port. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const requests = { ok: 0, failed: 0 };
  const server = createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== '/v1/traces') {
      response.writeHead(404).end();
      return;
    }
    bodyOf(request).then(
      (body) => {
        try {
          spans.push(...decodeTraceRequest(body));
          requests.ok++;
          // An empty ExportTraceServiceResponse: everything accepted.
          response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        } catch {
          requests.failed++;
          response.writeHead(400).end();
        }
      },
      () => {
        requests.failed++;
        response.writeHead(400).end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    spans: () => [...spans],
    requests,
    async waitFor(predicate, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const now = [...spans];
        if (predicate(now)) return now;
        if (Date.now() > deadline) {
          throw new TelemetryError(
            `spans not received within ${String(timeoutMs)} ms (${String(now.length)} so far)`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
