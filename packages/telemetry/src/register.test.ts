// The preload in a real process: `node --import @smsgw/telemetry/register` exports over OTLP/HTTP
// when an endpoint is set, and loads no SDK (but still propagates W3C context) when none is.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OtlpSpanKind, startOtlpReceiver, type OtlpReceiver } from './testing.ts';

const run = promisify(execFile);
const register = new URL('./register.ts', import.meta.url).href;
const index = new URL('./index.ts', import.meta.url).href;

/** Runs `code` (an ES module) in a node with the preload; resolves with its stdout. */
async function withPreload(code: string, env: Record<string, string>): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', register, '--input-type=module', '-e', code], {
    // The package's folder: the probe's bare imports resolve from its node_modules.
    cwd: new URL('..', import.meta.url),
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...env },
    timeout: 15_000,
  });
  return stdout;
}

const probe = `
  import { propagation, SpanKind } from '@opentelemetry/api';
  import { isTracingEnabled, shutdownTelemetry, tracerFor } from '${index}';
  const enabled = isTracingEnabled();
  const span = tracerFor('@smsgw/probe', '1.2.3').startSpan('hello', { kind: SpanKind.SERVER });
  span.setAttribute('smpp.system_id', 'acme');
  span.end();
  await shutdownTelemetry();
  console.log(JSON.stringify({ enabled, fields: propagation.fields() }));
`;

describe('the register preload', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('exports spans as OTLP/HTTP protobuf to OTEL_EXPORTER_OTLP_ENDPOINT, with the service named', async () => {
    const out = await withPreload(probe, {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'probe',
      POD_NAME: 'probe-0',
    });
    expect(JSON.parse(out)).toEqual({ enabled: true, fields: ['traceparent', 'tracestate', 'baggage'] });
    const [span] = await receiver.waitFor((spans) => spans.length > 0, 5_000);
    expect(span).toMatchObject({
      name: 'hello',
      kind: OtlpSpanKind.server,
      scope: '@smsgw/probe',
      parentSpanId: '',
      attributes: { 'smpp.system_id': 'acme' },
      resource: { 'service.name': 'probe', 'k8s.pod.name': 'probe-0' },
    });
    expect(span?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(receiver.requests.failed).toBe(0);
  });

  it('starts no SDK without an endpoint, and still propagates W3C trace context', async () => {
    const before = receiver.spans().length;
    const out = await withPreload(probe, { OTEL_SERVICE_NAME: 'probe' });
    expect(JSON.parse(out)).toEqual({ enabled: false, fields: ['traceparent', 'tracestate'] });
    expect(receiver.spans().length).toBe(before);
  });
});
