/**
 * Client side: opens a TCP or TLS connection to an SMSC and wraps it in a
 * client-side SmppSession. Binding is `session.bind(type, credentials)`.
 */
import net from 'node:net';
import tls from 'node:tls';
import { ConnectTimeoutError } from './session-errors.ts';
import type { SessionOptions } from './session-options.ts';
import { SmppSession } from './smpp-session.ts';

/** Options of `connectSmpp`. */
export interface ConnectSmppOptions extends SessionOptions {
  host: string;
  port: number;
  /** When given, connect with TLS using these options; servername defaults to `host` (unless an IP). */
  tls?: tls.ConnectionOptions;
  /** Give up connecting (and the TLS handshake) after this many ms. Default 10 000. */
  connectTimeout?: number;
  /** Local address to connect from (e.g. one of several on the host). */
  localAddress?: string;
}

/**
 * Connects and resolves with a client-side session (state OPEN). Rejects with
 * the socket error (ECONNREFUSED, a TLS verification error…) or ConnectTimeoutError.
 */
export function connectSmpp(options: ConnectSmppOptions): Promise<SmppSession> {
  const { host, port, tls: tlsOptions, connectTimeout = 10_000, localAddress, ...sessionOptions } = options;
  const from = localAddress === undefined ? {} : { localAddress };
  return new Promise<SmppSession>((resolve, reject) => {
    let socket: net.Socket;
    let connectEvent: 'connect' | 'secureConnect';
    if (tlsOptions === undefined) {
      socket = net.connect({ host, port, noDelay: true, ...from });
      connectEvent = 'connect';
    } else {
      const servername = tlsOptions.servername ?? (net.isIP(host) === 0 ? host : undefined);
      socket = tls.connect({
        ...tlsOptions,
        ...from,
        host,
        port,
        ...(servername === undefined ? {} : { servername }),
      });
      connectEvent = 'secureConnect';
    }
    const cleanup = (): void => {
      clearTimeout(timer);
      socket.off('error', onError);
      socket.off(connectEvent, onConnect);
    };
    const onError = (error: Error): void => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onConnect = (): void => {
      cleanup();
      socket.setNoDelay(true);
      resolve(new SmppSession(socket, { ...sessionOptions, role: 'client' }));
    };
    const timer = setTimeout(() => {
      onError(new ConnectTimeoutError(host, port, connectTimeout));
    }, connectTimeout);
    timer.unref();
    socket.once('error', onError);
    socket.once(connectEvent, onConnect);
  });
}
