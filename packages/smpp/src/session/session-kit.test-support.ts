/**
 * Test support for the session tests (never exported from the library):
 * loopback servers on random ports, connected session pairs, and a raw peer
 * that speaks PDUs without the engine, to send what a well-behaved peer never
 * would.
 */
import { once } from 'node:events';
import net from 'node:net';
import { decodePdu } from '../pdu/decode.ts';
import { encodePdu } from '../pdu/encode.ts';
import type { Pdu } from '../pdu/types.ts';
import { connectSmpp } from './client.ts';
import { FrameDecoder } from './frame-decoder.ts';
import { createSmppServer, type SmppServer, type SmppServerOptions } from './server.ts';
import type { InboundRequestPdu } from './session-events.ts';
import type { SessionOptions } from './session-options.ts';
import type { SmppSession } from './smpp-session.ts';

type Disposer = () => unknown;
const disposers: Disposer[] = [];

/** Runs `dispose` in `disposeAll()` (register `afterEach(disposeAll)`). */
export function onDispose(dispose: Disposer): void {
  disposers.push(dispose);
}

/** Closes everything the helpers opened, newest first. */
export async function disposeAll(): Promise<void> {
  while (disposers.length > 0) await disposers.pop()?.();
}

/** An SmppServer listening on 127.0.0.1 at a random port, closed hard on dispose. */
export async function startServer(
  options: SmppServerOptions = {},
  onSession?: (session: SmppSession) => void,
): Promise<{ server: SmppServer; port: number }> {
  const server = createSmppServer(options, onSession);
  const { port } = await server.listen(0, '127.0.0.1');
  onDispose(async () => {
    for (const session of server.sessions) session.close();
    await new Promise((resolve) => server.server.close(resolve));
  });
  return { server, port };
}

/** A connected client session and the server session it talks to. */
export interface SessionPair {
  readonly client: SmppSession;
  readonly server: SmppSession;
  readonly smppServer: SmppServer;
  readonly port: number;
}

/** Starts a server and connects a client to it. */
export async function connectPair(
  options: { server?: SmppServerOptions; client?: SessionOptions } = {},
): Promise<SessionPair> {
  const { server: smppServer, port } = await startServer(options.server);
  const accepted = once(smppServer, 'session') as Promise<[SmppSession]>;
  const client = await connectSmpp({ host: '127.0.0.1', port, ...options.client });
  onDispose(() => {
    client.close();
  });
  const [server] = await accepted;
  return { client, server, smppServer, port };
}

/** Accepts every bind on `session` with system_id "SMSC". */
export function acceptBinds(session: SmppSession): void {
  session.on('bind', (pdu) => session.reply(pdu, 0, { systemId: 'SMSC' }));
}

/** An async FIFO: values pushed by event listeners, taken in order by the test. */
export class Queue<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((item: T) => void)[] = [];

  /** Values pushed and not taken yet. */
  get size(): number {
    return this.items.length;
  }

  /** Adds a value, handing it to the oldest waiting `next()` if any. */
  push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter === undefined) this.items.push(item);
    else waiter(item);
  }

  /** The next value. */
  next(): Promise<T> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift() as T);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** Queues every 'request' event of `session`. */
export function queueRequests(session: SmppSession): Queue<InboundRequestPdu> {
  const queue = new Queue<InboundRequestPdu>();
  session.on('request', (pdu) => {
    queue.push(pdu);
  });
  return queue;
}

/** A peer that reads and writes PDUs on a plain socket, with no session logic. */
export class RawPeer {
  readonly socket: net.Socket;
  /** Resolves when the socket has closed. */
  readonly closed: Promise<void>;
  private readonly decoder = new FrameDecoder();
  private readonly received = new Queue<Pdu>();

  constructor(socket: net.Socket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        resolve();
      });
    });
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      this.decoder.push(chunk);
      for (let frame = this.decoder.next(); frame !== undefined; frame = this.decoder.next()) {
        this.received.push(decodePdu(frame));
      }
    });
    onDispose(() => socket.destroy());
  }

  /** Connects to 127.0.0.1:port. */
  static async connect(port: number): Promise<RawPeer> {
    const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
    await once(socket, 'connect');
    return new RawPeer(socket);
  }

  /** Encodes and writes PDUs. */
  send(...pdus: Pdu[]): void {
    for (const pdu of pdus) this.socket.write(encodePdu(pdu));
  }

  /** Writes raw bytes. */
  sendBytes(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** The next PDU received. */
  next(): Promise<Pdu> {
    return this.received.next();
  }
}

/** A plain TCP listener on a random port that hands each connection to `onPeer` as a RawPeer. */
export async function startRawServer(onPeer: (peer: RawPeer) => void): Promise<number> {
  const server = net.createServer({ noDelay: true }, (socket) => {
    onPeer(new RawPeer(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onDispose(() => new Promise((resolve) => server.close(resolve)));
  const address = server.address() as net.AddressInfo;
  return address.port;
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
