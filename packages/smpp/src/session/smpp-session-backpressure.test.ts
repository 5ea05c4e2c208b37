/** Inbound window (a flooding client is throttled by pausing the socket) and write backpressure. */
import { Buffer } from 'node:buffer';
import { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandId } from '../constants/command-id.ts';
import { createPdu } from '../pdu/create.ts';
import { decodePdu } from '../pdu/decode.ts';
import { encodePdu } from '../pdu/encode.ts';
import type { Pdu, SubmitSm } from '../pdu/types.ts';
import { FrameDecoder } from './frame-decoder.ts';
import {
  RawPeer,
  acceptBinds,
  connectPair,
  delay,
  disposeAll,
  onDispose,
  startServer,
} from './session-kit.test-support.ts';
import { SmppSession } from './smpp-session.ts';

afterEach(disposeAll);

/** Resolves once `condition()` holds, checking every few ms (the test timeout bounds it). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await delay(2);
}

describe('SmppSession: inbound backpressure', () => {
  it('a client flooding 1000 submits never has more than the inbound window unanswered', async () => {
    const { client, server } = await connectPair({
      server: { inboundWindow: 10 },
      client: { windowSize: 1000, maxQueuedRequests: 0 },
    });
    acceptBinds(server);
    let maxPending = 0;
    let sawPaused = false;
    server.on('request', (pdu) => {
      maxPending = Math.max(maxPending, server.pendingInbound);
      sawPaused ||= server.readingPaused;
      // A slow application: answers each request a little later.
      setTimeout(() => {
        if (pdu.command === 'submit_sm') server.reply(pdu, 0, { messageId: String(pdu.sequenceNumber) });
      }, 1);
    });
    await client.bind('transmitter', {});
    const responses = await Promise.all(
      Array.from({ length: 1000 }, () => client.request(createPdu('submit_sm', { destinationAddr: '1' }))),
    );
    expect(responses).toHaveLength(1000);
    expect(responses.every((r) => r.commandStatus === 0)).toBe(true);
    expect(maxPending).toBe(10);
    expect(sawPaused).toBe(true);
    expect(server.readingPaused).toBe(false);
  });

  it('pauses the socket while the application holds a full window, and resumes as it answers', async () => {
    const held: SubmitSm[] = [];
    let session: SmppSession | undefined;
    const { port } = await startServer({ inboundWindow: 5 }, (s) => {
      session = s;
      acceptBinds(s);
      s.on('request', (pdu) => {
        if (pdu.command === 'submit_sm') held.push(pdu);
      });
    });
    const peer = await RawPeer.connect(port);
    peer.send(createPdu('bind_transmitter', { sequenceNumber: 1 }));
    await peer.next();
    const bytes = Buffer.concat(
      Array.from({ length: 200 }, (_, i) =>
        encodePdu(createPdu('submit_sm', { sequenceNumber: i + 2, destinationAddr: '1' })),
      ),
    );
    peer.sendBytes(bytes);
    await until(() => held.length === 5);
    const server = session!;
    expect(server.pendingInbound).toBe(5);
    expect(server.readingPaused).toBe(true);
    expect(server.socket.isPaused()).toBe(true);
    let answered = 0;
    while (answered < 200) {
      const pdu = held.shift();
      if (pdu === undefined) {
        await delay(1);
        continue;
      }
      expect(server.pendingInbound).toBeLessThanOrEqual(5);
      server.reply(pdu, 0, { messageId: 'm' });
      answered += 1;
    }
    for (let i = 0; i < 200; i++) expect((await peer.next()).command).toBe('submit_sm_resp');
    expect(server.readingPaused).toBe(false);
  });
});

/**
 * A stand-in socket whose writes complete only when released, so that write
 * backpressure is deterministic (a real socket's kernel buffers vary by host).
 */
class HeldSocket extends Duplex {
  /** Every chunk the session wrote, in order. */
  readonly written: Buffer[] = [];
  private pending: (() => void) | undefined;
  private flowing = false;

  constructor() {
    super({ writableHighWaterMark: 1024 });
  }

  override _read(): void {
    // Data is pushed by the test.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.written.push(chunk);
    if (this.flowing) callback();
    else this.pending = callback;
  }

  /** Completes the held write and every later one. */
  release(): void {
    this.flowing = true;
    const pending = this.pending;
    this.pending = undefined;
    pending?.();
  }

  /** The PDUs written so far. */
  pdus(): Pdu[] {
    const decoder = new FrameDecoder();
    decoder.push(Buffer.concat(this.written));
    const out: Pdu[] = [];
    for (let f = decoder.next(); f !== undefined; f = decoder.next()) out.push(decodePdu(f));
    return out;
  }
}

describe('SmppSession: write backpressure', () => {
  it('holds requests in its queue while the socket does not drain, and sends them when it does', async () => {
    const socket = new HeldSocket();
    const session = new SmppSession(socket, { role: 'client', windowSize: 1000, enquireLinkInterval: 0 });
    onDispose(() => {
      session.close();
    });
    const bound = session.bind('transmitter', {});
    socket.push(encodePdu(createPdu('bind_transmitter_resp', { sequenceNumber: 1 })));
    await bound;
    const submits = Array.from({ length: 100 }, () =>
      session.request(
        createPdu('submit_sm', { destinationAddr: '4512345678', shortMessage: new Uint8Array(60) }),
      ),
    );
    await delay(5);
    // The socket took about its high-water mark; the rest waits in the session, not in the socket buffer.
    expect(session.queuedRequests).toBeGreaterThan(50);
    expect(socket.writableLength).toBeLessThan(2048);
    expect(session.inFlightRequests).toBe(100 - session.queuedRequests);
    socket.release();
    await delay(5);
    expect(session.queuedRequests).toBe(0);
    const sent = socket.pdus().filter((p) => p.command === 'submit_sm');
    expect(sent).toHaveLength(100);
    socket.push(
      Buffer.concat(
        sent.map((p) =>
          encodePdu(createPdu('submit_sm_resp', { sequenceNumber: p.sequenceNumber, messageId: 'm' })),
        ),
      ),
    );
    expect((await Promise.all(submits)).every((r) => r.messageId === 'm')).toBe(true);
  });

  it('stops reading a peer that floods requests without reading the answers', async () => {
    const socket = new HeldSocket();
    const session = new SmppSession(socket, {
      role: 'server',
      writeBufferLimit: 4096,
      enquireLinkInterval: 0,
      unboundMaxPdus: 1_000_000,
    });
    onDispose(() => {
      session.close();
    });
    const count = 5000;
    const flood = Buffer.alloc(16 * count);
    for (let i = 0; i < count; i++) {
      flood.writeUInt32BE(16, i * 16);
      flood.writeUInt32BE(CommandId.enquire_link, i * 16 + 4);
      flood.writeUInt32BE(i + 1, i * 16 + 12);
    }
    socket.push(flood);
    await delay(5);
    expect(session.readingPaused).toBe(true);
    expect(socket.isPaused()).toBe(true);
    // Answers queued in memory stay near the limit instead of growing with the flood.
    expect(socket.writableLength).toBeLessThan(4096 + 64);
    const answered = socket.pdus().length;
    expect(answered).toBeLessThan(count);
    socket.release();
    await delay(20);
    expect(session.readingPaused).toBe(false);
    const answers = socket.pdus();
    expect(answers).toHaveLength(count);
    expect(answers.every((p, i) => p.command === 'enquire_link_resp' && p.sequenceNumber === i + 1)).toBe(
      true,
    );
  });

  it('stops reading by count of unflushed answers, long before their bytes reach writeBufferLimit', async () => {
    const socket = new HeldSocket();
    const session = new SmppSession(socket, {
      role: 'server',
      enquireLinkInterval: 0,
      unboundMaxPdus: 1_000_000,
      maxUnflushedWrites: 100,
    });
    onDispose(() => {
      session.close();
    });
    socket.push(enquireLinks(5000));
    await delay(5);
    expect(session.readingPaused).toBe(true);
    // Each queued answer costs a Buffer and a queue entry: their count is what is bounded.
    expect(socket.pdus().length).toBeLessThanOrEqual(101);
    socket.release();
    await until(() => socket.pdus().length === 5000);
    expect(session.readingPaused).toBe(false);
  });
});

describe('SmppSession: before bind (server side)', () => {
  it('answers unboundMaxPdus PDUs before bind, then ends the connection (unbound-limit)', async () => {
    const socket = new HeldSocket();
    socket.release();
    const session = new SmppSession(socket, { role: 'server', enquireLinkInterval: 0, unboundMaxPdus: 32 });
    onDispose(() => {
      session.close();
    });
    socket.push(enquireLinks(5000));
    expect((await session.closed).code).toBe('unbound-limit');
    expect(socket.pdus()).toHaveLength(32);
  });

  it('takes only small PDUs before bind (unboundMaxCommandLength), the full size once bound', async () => {
    const { client, server } = await connectPair({ server: { unboundMaxCommandLength: 256 } });
    acceptBinds(server);
    server.on('request', (pdu) => {
      if (pdu.command === 'submit_sm') server.reply(pdu, 0, { messageId: 'ok' });
    });
    await client.bind('transmitter', {});
    const big = createPdu('submit_sm', { destinationAddr: '1', shortMessage: Buffer.alloc(250, 0x41) });
    expect((await client.request(big)).commandStatus).toBe(0);

    let early: SmppSession | undefined;
    const { port } = await startServer({ unboundMaxCommandLength: 256 }, (s) => {
      early = s;
    });
    const peer = await RawPeer.connect(port);
    const bytes = Buffer.from(encodePdu({ ...big, sequenceNumber: 1 }));
    peer.sendBytes(bytes);
    expect((await peer.next()).command).toBe('generic_nack');
    await until(() => early !== undefined);
    expect((await early?.closed)?.code).toBe('framing-error');
  });
});

/** `count` enquire_link PDUs, numbered from 1, in one buffer. */
function enquireLinks(count: number): Buffer {
  const flood = Buffer.alloc(16 * count);
  for (let i = 0; i < count; i++) {
    flood.writeUInt32BE(16, i * 16);
    flood.writeUInt32BE(CommandId.enquire_link, i * 16 + 4);
    flood.writeUInt32BE(i + 1, i * 16 + 12);
  }
  return flood;
}
