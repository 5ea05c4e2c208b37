/**
 * A thin SMPP listener: a net.Server, or a tls.Server when `tls` is given
 * (SMPP inside TLS, e.g. port 8775), that wraps every accepted connection in a
 * server-side SmppSession with server defaults (bind timeout, idle close).
 *
 * The front door is guarded before any TLS or SMPP work: `admit` sees every
 * TCP connection first (connection caps), a TLS handshake must finish within
 * `handshakeTimeout`, and a socket whose handshake failed in any way is
 * destroyed (Node leaves it open, even after ERR_TLS_HANDSHAKE_TIMEOUT).
 */
import { EventEmitter, once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { resolveSessionOptions, type SessionOptions } from './session-options.ts';
import { SmppSession } from './smpp-session.ts';

/** Options of `createSmppServer`: session tuning for every accepted session, plus TLS. */
export interface SmppServerOptions extends SessionOptions {
  /** When given, accept TLS connections with these options (key, cert, ca, minVersion…). */
  tls?: tls.TlsOptions;
  /**
   * TLS: a connection whose handshake has not finished this long after accept
   * is destroyed (ms). Default: the bind timeout (10 000), so a silent TLS
   * peer is held no longer than a silent plain one.
   */
  handshakeTimeout?: number;
  /**
   * Sees every accepted TCP connection before any TLS or SMPP work; returning
   * false refuses it (the socket is destroyed at once). For connection caps.
   */
  admit?: (socket: net.Socket) => boolean;
}

/** Events of an SmppServer. */
export interface SmppServerEvents {
  /** A connection was accepted (after the TLS handshake for TLS). */
  session: [session: SmppSession];
  /** The listener failed after `listen()` (e.g. EMFILE on accept). Without a listener this throws, like net.Server. */
  error: [error: Error];
  /** TLS: a handshake failed or timed out (the socket is already destroyed). */
  tlsClientError: [error: Error];
}

/** An SMPP server: accepts connections and hands out server-side sessions. */
export class SmppServer extends EventEmitter<SmppServerEvents> {
  /** The underlying net.Server or tls.Server (for maxConnections, metrics…). */
  readonly server: net.Server | tls.Server;
  private readonly live = new Set<SmppSession>();
  private listenInProgress = false;
  private readonly sessionOptions: SessionOptions;

  constructor(options: SmppServerOptions = {}) {
    super();
    const { tls: tlsOptions, handshakeTimeout, admit, ...sessionOptions } = options;
    this.sessionOptions = sessionOptions;
    if (tlsOptions === undefined) {
      this.server = net.createServer({ noDelay: true }, this.onConnection);
    } else {
      const server = tls.createServer(
        {
          noDelay: true,
          handshakeTimeout: handshakeTimeout ?? resolveSessionOptions('server', sessionOptions).bindTimeout,
          ...tlsOptions,
        },
        this.onConnection,
      );
      server.on('tlsClientError', (error: Error, socket: tls.TLSSocket) => {
        socket.destroy();
        this.emit('tlsClientError', error);
      });
      this.server = server;
    }
    if (admit !== undefined) {
      // Before tls.Server's own listener, so a refused connection costs no TLS state.
      this.server.prependListener('connection', (socket: net.Socket) => {
        if (!admit(socket)) socket.destroy();
      });
    }
    this.server.on('error', (error: Error) => {
      // listen() reports its own failures (EADDRINUSE…) by rejecting.
      if (!this.listenInProgress) this.emit('error', error);
    });
  }

  /** Sessions currently open. */
  get sessions(): ReadonlySet<SmppSession> {
    return this.live;
  }

  /** True when the server accepts TLS. */
  get isTls(): boolean {
    return this.server instanceof tls.Server;
  }

  /** Starts listening (port 0 = any free port) and resolves with the bound address. */
  async listen(port = 0, host?: string): Promise<net.AddressInfo> {
    const listening = once(this.server, 'listening');
    this.listenInProgress = true;
    try {
      if (host === undefined) this.server.listen(port);
      else this.server.listen(port, host);
      await listening;
    } finally {
      this.listenInProgress = false;
    }
    return this.address();
  }

  /** The bound address. @throws TypeError when not listening. */
  address(): net.AddressInfo {
    const address = this.server.address();
    if (address === null || typeof address === 'string')
      throw new TypeError('SMPP server is not listening on TCP');
    return address;
  }

  /**
   * Replaces the TLS certificate and key for new connections (certificate
   * rotation) without restarting. @throws TypeError on a plain TCP server.
   */
  setSecureContext(options: tls.SecureContextOptions): void {
    if (!(this.server instanceof tls.Server)) throw new TypeError('setSecureContext needs a TLS SMPP server');
    this.server.setSecureContext(options);
  }

  /**
   * Stops accepting connections, unbinds every open session (each closes after
   * its unbind_resp or its response timeout) and resolves once all are closed.
   */
  async close(): Promise<void> {
    const stopped = new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
    await Promise.all([...this.live].map((session) => session.unbind()));
    await stopped;
  }

  private readonly onConnection = (socket: net.Socket): void => {
    // Refused by `admit`, or gone during the TLS handshake.
    if (socket.destroyed) return;
    const session = new SmppSession(socket, { ...this.sessionOptions, role: 'server' });
    this.live.add(session);
    session.once('close', () => {
      this.live.delete(session);
    });
    this.emit('session', session);
  };
}

/** Creates an SmppServer; `onSession` (optional) is attached to its 'session' event. Call `listen()` next. */
export function createSmppServer(
  options: SmppServerOptions = {},
  onSession?: (session: SmppSession) => void,
): SmppServer {
  const server = new SmppServer(options);
  if (onSession !== undefined) server.on('session', onSession);
  return server;
}
