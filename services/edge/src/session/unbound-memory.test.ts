/**
 * Memory per connection that is not bound and never reads (issue #14). Peers
 * in a worker thread (whose heap is its own) send enquire_links and read
 * nothing: a connection whose answers fill the socket's buffers is closed
 * ('unbound-limit'), and one that stays under that, ending on a partial
 * frame, holds a bounded amount of edge memory (the partial frame is copied
 * out of its 64 KiB read chunk).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import type { SmppServer, SmppSession } from '@smsgw/smpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, startNatsFixture, type EdgeFixture, type NatsFixture } from '../edge.test-support.ts';

/** The goal of issue #14 is 64 KiB per connection; the old code held megabytes. */
const GOAL_PER_CONNECTION = 64 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * The peers: open `connections`, write `bytes` of enquire_links each (with
 * backpressure), then `tail` bytes of a frame that never completes; never
 * read. Posts the number of connections closed by the edge once every one is
 * closed, done, or blocked for a second.
 */
const PEERS = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const { port, connections, bytes, tail } = workerData;
const chunk = Buffer.alloc(16 * 1024);
for (let at = 0; at < chunk.length; at += 16) {
  chunk.writeUInt32BE(16, at); chunk.writeUInt32BE(0x15, at + 4); chunk.writeUInt32BE(at / 16 + 1, at + 12);
}
const partial = Buffer.alloc(tail);
if (tail >= 4) partial.writeUInt32BE(1000, 0);
let settled = 0; let closed = 0;
const settle = () => { settled++; if (settled === connections) parentPort.postMessage(closed); };
for (let i = 0; i < connections; i++) {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.pause();
  socket.on('error', () => {});
  let sent = 0; let done = false; let timer;
  const finish = () => { if (!done) { done = true; settle(); } };
  socket.on('close', () => { clearTimeout(timer); if (!done) { closed++; finish(); } });
  const pumpOut = () => {
    while (sent < bytes) {
      const piece = Math.min(chunk.length, bytes - sent);
      sent += piece;
      if (!socket.write(piece === chunk.length ? chunk : chunk.subarray(0, piece))) {
        timer = setTimeout(finish, 1000);
        return;
      }
    }
    if (tail > 0) socket.write(partial);
    timer = setTimeout(finish, 1000);
  };
  socket.on('drain', () => { clearTimeout(timer); pumpOut(); });
  socket.on('connect', pumpOut);
}
parentPort.on('message', () => process.exit(0));
`;

let nats: NatsFixture;
let fx: EdgeFixture;
let server: SmppServer;

beforeAll(async () => {
  nats = await startNatsFixture();
  fx = await startEdge(nats, { session: { bindTimeout: 120_000 } });
  server = await fx.edge.listen(0, '127.0.0.1');
  // Warm-up: code compiled and pools filled on first use are not per-connection memory.
  await attack(10, 6_000_000, 0);
  await attack(10, 32 * 16, 900);
});

afterAll(async () => {
  await fx.stop();
  await nats.stop();
});

function heapAndBuffers(): number {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

/** Runs the peers; resolves with how many the edge closed and the edge memory held per connection meanwhile. */
async function attack(
  connections: number,
  bytes: number,
  tail: number,
): Promise<{ closedByEdge: number; open: number; perConnection: number }> {
  let accepted = 0;
  let closedByEdge = 0;
  const onSession = (session: SmppSession): void => {
    accepted++;
    session.once('close', (reason) => {
      if (reason.code === 'unbound-limit') closedByEdge++;
    });
  };
  server.on('session', onSession);
  const before = heapAndBuffers();
  const worker = new Worker(PEERS, {
    eval: true,
    workerData: { port: server.address().port, connections, bytes, tail },
  });
  await new Promise((resolve) => worker.once('message', resolve));
  // The edge accepts and reads behind the peers: wait until it took every connection, and a bit.
  while (accepted < connections) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const perConnection = (heapAndBuffers() - before) / connections;
  const open = server.sessions.size;
  server.off('session', onSession);
  worker.postMessage('exit');
  await new Promise((resolve) => worker.once('exit', resolve));
  while (server.sessions.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  return { closedByEdge, open, perConnection };
}

describe('an unbound connection that never reads', () => {
  it('is closed after 32 PDUs before bind (10 × 6 MB of enquire_link), and the memory goes with it', async () => {
    const result = await attack(10, 6_000_000, 0);
    process.stdout.write(`flood: ${JSON.stringify(result)}\n`);
    expect(result.closedByEdge).toBe(10);
    expect(result.perConnection).toBeLessThan(GOAL_PER_CONNECTION);
  });

  it('holds at most 64 KiB while it stays open (50 × 32 enquire_links, then a partial frame)', async () => {
    const result = await attack(50, 32 * 16, 900);
    process.stdout.write(
      `edge memory per unbound non-reading connection: ${(result.perConnection / 1024).toFixed(1)} KiB (${JSON.stringify(result)})\n`,
    );
    expect(result.open).toBe(50);
    expect(result.perConnection).toBeLessThan(GOAL_PER_CONNECTION);
  });
});
