/**
 * Bind security over real sockets and TLS: back-off after failed binds,
 * source CIDRs, TLS-required accounts, certificate reload, and sessions of
 * disabled or removed accounts being unbound.
 */
import { rmSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { CommandStatus } from '@smsgw/smpp';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateReloader, type CertificatePair } from '../session/certificate-reloader.ts';
import {
  accountInput,
  bindClient,
  bindStatus,
  startEdge,
  startNatsFixture,
  submit,
  testLogger,
  type EdgeFixture,
  type NatsFixture,
} from '../edge.test-support.ts';

let nats: NatsFixture;
let fx: EdgeFixture;
let tlsFx: EdgeFixture;
let certDir: string;
let reloader: CertificateReloader;
let server: Awaited<ReturnType<EdgeFixture['edge']['listen']>>;

async function certificate(commonName: string): Promise<CertificatePair> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  return { cert: pems.cert, key: pems.private };
}

/** The common name of the certificate a fresh TLS handshake gets. */
function servedCommonName(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const cn = socket.getPeerCertificate().subject.CN;
      socket.destroy();
      resolve(Array.isArray(cn) ? cn.join(',') : (cn ?? ''));
    });
    socket.once('error', reject);
  });
}

beforeAll(async () => {
  nats = await startNatsFixture();
  await nats.store.create(accountInput('acme'));
  await nats.store.create(accountInput('office', { allowedCidrs: ['10.0.0.0/8'] }));
  await nats.store.create(accountInput('secure', { tlsRequired: true }));
  await nats.store.create(accountInput('to-disable'));
  await nats.store.create(accountInput('to-remove'));
  await nats.store.create(accountInput('backoff'));
  fx = await startEdge(nats, {
    authBackoff: { baseMs: 100, maxMs: 400, windowMs: 60_000, maxEntries: 100 },
  });
  certDir = mkdtempSync(join(tmpdir(), 'edge-tls-'));
  const pair = await certificate('first');
  writeFileSync(join(certDir, 'cert.pem'), pair.cert);
  writeFileSync(join(certDir, 'key.pem'), pair.key);
  tlsFx = await startEdge(nats, { tls: { ...pair, minVersion: 'TLSv1.2' } });
  // startEdge listened once; keep the TLS server to reload its certificate.
  server = await tlsFx.edge.listen(0, '127.0.0.1', { ...pair, minVersion: 'TLSv1.2' });
  reloader = new CertificateReloader(
    {
      certFile: join(certDir, 'cert.pem'),
      keyFile: join(certDir, 'key.pem'),
      intervalMs: 60_000,
      apply: (next) => {
        server.setSecureContext({ ...next, minVersion: 'TLSv1.2' });
      },
      logger: testLogger(),
    },
    pair,
  );
});

afterAll(async () => {
  await reloader.close();
  await tlsFx.stop();
  await fx.stop();
  await nats.stop();
  rmSync(certDir, { recursive: true, force: true });
});

describe('failed binds', () => {
  it('answers later and later (back-off per address and system_id), never faster than the base delay', async () => {
    const elapsed: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      expect(await bindStatus(fx.port, 'transmitter', 'backoff', 'wrong')).toBe(CommandStatus.ESME_RINVPASWD);
      elapsed.push(performance.now() - started);
    }
    // Lower bounds only: 100, 200, 400 ms (a sleep is never shorter).
    expect(elapsed[0]).toBeGreaterThanOrEqual(95);
    expect(elapsed[2]).toBeGreaterThanOrEqual(390);
    // The right password is not delayed and binds.
    expect(await bindStatus(fx.port, 'transmitter', 'backoff')).toBe(CommandStatus.ESME_ROK);
  });
});

describe('account rules', () => {
  it('refuses a source address outside the allowed CIDRs with ESME_RBINDFAIL', async () => {
    expect(await bindStatus(fx.port, 'transmitter', 'office')).toBe(CommandStatus.ESME_RBINDFAIL);
  });

  it('refuses a TLS-required account over plain TCP, binds it over TLS', async () => {
    expect(await bindStatus(fx.port, 'transmitter', 'secure')).toBe(CommandStatus.ESME_RBINDFAIL);
    const session = await bindClient(server.address().port, 'transmitter', 'secure', undefined, {
      tls: { rejectUnauthorized: false },
    });
    expect((await submit(session)).commandStatus).toBe(CommandStatus.ESME_ROK);
    session.close();
  });

  it.each([
    ['disabled', (id: string) => nats.store.update(id, { enabled: false })],
    ['removed', (id: string) => nats.store.remove(id)],
  ] as const)('unbinds the sessions of an account that is %s', async (what, change) => {
    const systemId = what === 'disabled' ? 'to-disable' : 'to-remove';
    const session = await bindClient(fx.port, 'transceiver', systemId);
    await change(systemId);
    expect((await session.closed).code).toBe('peer-unbind');
    expect(await bindStatus(fx.port, 'transmitter', systemId)).not.toBe(CommandStatus.ESME_ROK);
  });
});

describe('TLS', () => {
  it('refuses TLS 1.1', async () => {
    await expect(
      bindClient(server.address().port, 'transmitter', 'acme', undefined, {
        tls: { rejectUnauthorized: false, maxVersion: 'TLSv1.1', minVersion: 'TLSv1' },
      }),
    ).rejects.toThrow();
  });

  it('serves a replaced certificate to new handshakes while the old session stays bound', async () => {
    const session = await bindClient(server.address().port, 'transceiver', 'acme', undefined, {
      tls: { rejectUnauthorized: false },
    });
    expect(await servedCommonName(server.address().port)).toBe('first');
    const next = await certificate('second');
    writeFileSync(join(certDir, 'cert.pem'), next.cert);
    writeFileSync(join(certDir, 'key.pem'), next.key);
    expect(await reloader.check()).toBe(true);
    expect(await servedCommonName(server.address().port)).toBe('second');
    expect(session.state).toBe('bound_trx');
    expect((await submit(session)).commandStatus).toBe(CommandStatus.ESME_ROK);
    session.close();
  });

  it('keeps the current certificate when the new files do not load', async () => {
    writeFileSync(join(certDir, 'key.pem'), 'not a key');
    expect(await reloader.check()).toBe(false);
    expect(await servedCommonName(server.address().port)).toBe('second');
  });
});
