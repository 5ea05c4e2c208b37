import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { findNatsServerBinary } from '@smsgw/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSelfSignedCertificate } from './certificate.ts';
import { generatePassword } from './demo-account.ts';
import { discoverServices } from './discover-services.ts';
import { startLocalNatsServer } from './local-nats-server.ts';
import { formatServiceLine, LineSplitter, prettyPinoLine } from './log-lines.ts';
import { serviceEnv, type LaunchSettings } from './service-env.ts';
import { notReadyReasonOf } from './service-process.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smsgw-start-parts-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('discoverServices', () => {
  it('finds services/*/src/main.ts, consumers before the edge', async () => {
    for (const name of ['edge', 'router', 'zeta', 'half'])
      await mkdir(join(dir, 'services', name, 'src'), { recursive: true });
    for (const name of ['edge', 'router', 'zeta'])
      await writeFile(join(dir, 'services', name, 'src', 'main.ts'), '');
    expect((await discoverServices(dir)).map((s) => s.name)).toEqual(['router', 'edge', 'zeta']);
    expect(await discoverServices(join(dir, 'nowhere'))).toEqual([]);
  });
});

describe('serviceEnv', () => {
  const settings: LaunchSettings = {
    natsUrl: 'nats://127.0.0.1:4222',
    smppPort: 2775,
    tls: { port: 8775, certFile: '/c.pem', keyFile: '/k.pem' },
    adminPortBase: 9100,
    grpcPort: 9091,
  };

  it('gives each service NATS, its own admin port, and the edge its SMPP and TLS settings', () => {
    const edge = serviceEnv('edge', 2, settings, { PATH: '/bin' });
    expect(edge).toMatchObject({
      PATH: '/bin',
      NATS_URL: 'nats://127.0.0.1:4222',
      ADMIN_PORT: '9103',
      EDGE_SMPP_HOST: '127.0.0.1',
      EDGE_SMPP_PORT: '2775',
      EDGE_SMPP_TLS_PORT: '8775',
      EDGE_TLS_CERT_FILE: '/c.pem',
      EDGE_TLS_KEY_FILE: '/k.pem',
    });
    const { tls: _tls, ...noTls } = settings;
    const plain = serviceEnv('edge', 0, noTls, { TLS_CERT_FILE: '/x', EDGE_TLS_KEY_FILE: '/y' });
    expect([plain['TLS_CERT_FILE'], plain['EDGE_TLS_KEY_FILE']]).toEqual([undefined, undefined]);
  });

  it('drops an old name inherited from its own environment where it sets the new one', () => {
    const edge = serviceEnv('edge', 0, settings, { SMPP_PORT: '2999', SHUTDOWN_GRACE_MS: '5s' });
    expect(edge['SMPP_PORT']).toBeUndefined();
    expect(edge).toMatchObject({ EDGE_SMPP_PORT: '2775', SHUTDOWN_GRACE: '5s' });
    expect(edge['SHUTDOWN_GRACE_MS']).toBeUndefined();
  });

  it('keeps the stream limits and bucket TTLs (its own, as the provisioner) from every service', () => {
    const env = serviceEnv('dlr-dispatcher', 3, settings, { DLR_BACKLOG_MAX: '53', DLR_PUSH_ATTEMPTS: '5' });
    expect(env['DLR_BACKLOG_MAX']).toBeUndefined();
    expect(env['DLR_PUSH_ATTEMPTS']).toBe('5');
    const connector = serviceEnv('connector', 2, settings, {
      CONNECTOR_HEALTH_TTL: '9s',
      SMPP_UPSTREAM_ID_TTL_MS: '259200000',
      CONNECTOR_MAX_IN_FLIGHT: '8',
    });
    expect([connector['CONNECTOR_HEALTH_TTL'], connector['SMPP_UPSTREAM_ID_TTL_MS']]).toEqual([
      undefined,
      undefined,
    ]);
    expect(connector['CONNECTOR_MAX_IN_FLIGHT']).toBe('8');
  });

  it('gives every service the replicas the topology was created with', () => {
    expect(serviceEnv('router', 1, settings, {})['NATS_REPLICAS']).toBe('1');
    expect(
      serviceEnv('router', 1, { ...settings, replicas: 3 }, { NATS_REPLICAS: '1' })['NATS_REPLICAS'],
    ).toBe('3');
  });

  it('lets the caller’s CONNECTOR_SIM_DELAY (or SIM_DELAY_MS) and LOG_LEVEL through', () => {
    expect(serviceEnv('connector', 1, settings, {})['CONNECTOR_SIM_DELAY']).toBe('500ms-3s');
    const env = serviceEnv('connector', 1, settings, { CONNECTOR_SIM_DELAY: '0', LOG_LEVEL: 'debug' });
    expect(env).toMatchObject({ CONNECTOR_SIM_DELAY: '0', LOG_LEVEL: 'debug' });
    const old = serviceEnv('connector', 1, settings, { SIM_DELAY_MS: '20' });
    expect([old['CONNECTOR_SIM_DELAY'], old['SIM_DELAY_MS']]).toEqual(['20', undefined]);
  });
});

describe('log lines', () => {
  it('splits chunks into lines, holding back a partial one', () => {
    const s = new LineSplitter();
    expect(s.push('a\nb')).toEqual(['a']);
    expect(s.push('c\r\nd')).toEqual(['bc']);
    expect(s.flush()).toEqual(['d']);
  });

  it('prettifies pino lines and prefixes everything else', () => {
    const line = JSON.stringify({
      level: 40,
      time: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
      service: 'edge',
      msg: 'slow',
      ms: 12,
      who: 'a b',
    });
    expect(prettyPinoLine('edge', line)).toBe('03:04:05.006 WARN  [edge] slow ms=12 who="a b"');
    expect(formatServiceLine('edge', 'plain text', true)).toBe('[edge] plain text');
    expect(formatServiceLine('edge', line, false)).toBe(`[edge] ${line}`);
  });
});

describe('notReadyReasonOf', () => {
  it("names the failing checks of the admin server's 503 body, else shows what came back", () => {
    const body = (b: object): string => JSON.stringify({ status: 'not ready', ...b });
    expect(notReadyReasonOf(body({ shuttingDown: false, failing: ['nats', 'accounts'] }))).toBe(
      'failing checks: nats, accounts',
    );
    expect(notReadyReasonOf(body({ shuttingDown: true, failing: [] }))).toBe('shutting down');
    expect(notReadyReasonOf('Bad Gateway')).toBe('/readyz answered Bad Gateway');
  });
});

describe('demo password and certificate', () => {
  it('generates 8 unambiguous characters', () => {
    for (let i = 0; i < 50; i++) expect(generatePassword()).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{8}$/);
  });

  it('writes a self-signed certificate for localhost and 127.0.0.1', async () => {
    const files = await writeSelfSignedCertificate(dir);
    const x509 = new X509Certificate(files.cert);
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });
});

describe('startLocalNatsServer', () => {
  it('runs nats-server with JetStream on the port asked for and stops it', async () => {
    const binary = findNatsServerBinary();
    expect(binary, 'nats-server must be installed for the test suite').toBeDefined();
    const { createServer } = await import('node:net');
    const probe = createServer();
    const port = await new Promise<number>((resolve) =>
      probe.listen(0, '127.0.0.1', () => {
        resolve((probe.address() as { port: number }).port);
      }),
    );
    await new Promise<void>((resolve) =>
      probe.close(() => {
        resolve();
      }),
    );
    const { server, nc } = await startLocalNatsServer(binary!, '127.0.0.1', port);
    try {
      expect(server.url).toBe(`nats://127.0.0.1:${port}`);
      expect(nc.info?.jetstream).toBe(true);
    } finally {
      await nc.close();
      await server.stop();
    }
    expect(() => process.kill(server.pid!, 0)).toThrow();
  });
});
