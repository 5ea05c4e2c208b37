/**
 * The TLS listener's certificate and key, read from files and re-read every
 * `intervalMs`: when either changed and the pair is valid, new handshakes get
 * it (server.setSecureContext); sessions already open keep theirs. Polling
 * the contents (not fs.watch) sees every kind of replacement, Kubernetes'
 * secret-volume symlink swap included. A pair that does not load (a
 * half-written file, a key that does not match) is logged and the old one kept.
 */
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import type { Logger } from '@smsgw/runtime';

/** A PEM certificate (chain) and its key. */
export interface CertificatePair {
  readonly cert: string;
  readonly key: string;
}

/** Options of CertificateReloader. */
export interface CertificateReloaderOptions {
  readonly certFile: string;
  readonly keyFile: string;
  readonly intervalMs: number;
  /** Called with a new, valid pair. */
  readonly apply: (pair: CertificatePair) => void;
  readonly logger: Logger;
}

/** Reads a pair synchronously (at start: a bad pair must stop the process). */
export function readCertificatePair(certFile: string, keyFile: string): CertificatePair {
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

/** Watches a certificate and key file pair. */
export class CertificateReloader {
  readonly #o: CertificateReloaderOptions;
  readonly #timer: NodeJS.Timeout;
  #current: CertificatePair;
  #checking: Promise<boolean> | undefined;

  /** Starts polling; `initial` is the pair already in use. */
  constructor(options: CertificateReloaderOptions, initial: CertificatePair) {
    this.#o = options;
    this.#current = initial;
    this.#timer = setInterval(() => {
      this.#checking ??= this.check().finally(() => {
        this.#checking = undefined;
      });
    }, options.intervalMs);
    this.#timer.unref();
  }

  /** Re-reads the files once and applies a changed, valid pair; resolves true when it applied one. */
  async check(): Promise<boolean> {
    const { certFile, keyFile, logger } = this.#o;
    let pair: CertificatePair;
    try {
      const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
      pair = { cert, key };
    } catch (error) {
      logger.warn(
        { err: error, certFile, keyFile },
        'TLS certificate files unreadable; keeping the current ones',
      );
      return false;
    }
    if (pair.cert === this.#current.cert && pair.key === this.#current.key) return false;
    try {
      tls.createSecureContext(pair);
    } catch (error) {
      logger.warn({ err: error, certFile }, 'TLS certificate or key invalid; keeping the current ones');
      return false;
    }
    this.#o.apply(pair);
    this.#current = pair;
    logger.info({ certFile }, 'TLS certificate reloaded');
    return true;
  }

  /** Stops polling. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#checking;
  }
}
