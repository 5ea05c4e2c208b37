/**
 * A self-signed certificate for the local TLS port (8775): EC P-256 (quick to
 * make), for localhost, 127.0.0.1 and ::1, valid 30 days, written as PEM files
 * into a directory. Good for a laptop, never for production.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/** Where the certificate and its key were written. */
export interface CertificateFiles {
  readonly certFile: string;
  readonly keyFile: string;
  /** The PEM texts, for callers that want them in memory. */
  readonly cert: string;
  readonly key: string;
}

const VALIDITY_MS = 30 * 24 * 3600 * 1000;

/** Makes a fresh self-signed certificate and writes cert.pem and key.pem (mode 0600) into `dir`. */
export async function writeSelfSignedCertificate(dir: string, now = new Date()): Promise<CertificateFiles> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + VALIDITY_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  await writeFile(certFile, pems.cert, { mode: 0o644 });
  await writeFile(keyFile, pems.private, { mode: 0o600 });
  return { certFile, keyFile, cert: pems.cert, key: pems.private };
}
