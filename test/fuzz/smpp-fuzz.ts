/**
 * `./run fuzz [--pdus N] [--connections C] [--seed S]`: sends N mutated PDUs
 * (default 1,000,000; fuzz-mutations.ts) over C real TCP connections to a
 * real edge process (its own NATS server, one account with a low submit
 * rate so that few submits are stored), 90 % of the connections bound first.
 * A connection the edge ends (framing lost, unbind, the pre-bind limit) is
 * replaced. Prints PDUs sent, answers read, connections, edge crashes (must
 * be 0: the process died or /livez stopped answering) and the edge's peak RSS
 * (VmHWM); exits 1 on a crash.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { AccountStore, hashPassword } from '@smsgw/accounts';
import { ensureTopology } from '@smsgw/nats';
import { FrameDecoder, createPdu, encodePdu } from '@smsgw/smpp';
import { childNatsUrl, startNatsServer } from '@smsgw/testing';
import { getFreePorts } from '@smsgw/testing';
import { waitForListener } from '../support/wait-for-listener.ts';
import { ServiceProcess } from '../support/service-process.ts';
import { Random, mutate } from './fuzz-mutations.ts';

const { values } = parseArgs({
  options: {
    pdus: { type: 'string', default: '1000000' },
    connections: { type: 'string', default: '16' },
    seed: { type: 'string', default: '14' },
  },
});
const TOTAL = Number(values.pdus);
const CONNECTIONS = Number(values.connections);
const random = new Random(Number(values.seed));
const BATCH = 64;

const stats = { sent: 0, answers: 0, connections: 0, closedByEdge: 0 };

/** The edge's peak resident set (VmHWM) in MiB, from /proc. */
function peakRssMiB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'));
  return Number(match?.[1] ?? Number.NaN) / 1024;
}

/** One connection: bind (most of them), then mutated PDUs in batches until the edge ends it or the run is done. */
async function connection(port: number, bind: boolean): Promise<void> {
  stats.connections++;
  const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
  const decoder = new FrameDecoder({ maxCommandLength: 0x7fffffff });
  let firstAnswer: (() => void) | undefined;
  // An object, so that the close handler's change is seen across the awaits.
  const link = { open: true };
  let answers = 0;
  let lastAnswerAt = performance.now();
  socket.on('data', (chunk: Buffer) => {
    decoder.push(chunk);
    try {
      while (decoder.next() !== undefined) {
        stats.answers++;
        answers++;
        lastAnswerAt = performance.now();
        firstAnswer?.();
        firstAnswer = undefined;
      }
    } catch {
      decoder.clear();
    }
  });
  const closed = new Promise<void>((resolve) => {
    socket.on('close', () => {
      link.open = false;
      firstAnswer?.();
      resolve();
    });
  });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve).once('close', resolve));
  if (bind && link.open) {
    const answered = new Promise<void>((resolve) => (firstAnswer = resolve));
    socket.write(
      encodePdu({
        ...createPdu('bind_transceiver', { systemId: 'fuzz', password: 'secret' }),
        sequenceNumber: 1,
      }),
    );
    await answered;
  }
  // Unbound connections stay under the edge's pre-bind limit (32 PDUs) most of the time.
  let budget = bind ? Number.POSITIVE_INFINITY : 30;
  // Not every PDU is answered (mutated responses, alert_notification): what is owed is counted from a
  // baseline that moves whenever the answers stop coming for a moment.
  let owed = 0;
  let answersAtBaseline = answers;
  const settle = async (limit: number): Promise<void> => {
    while (link.open && owed - (answers - answersAtBaseline) > limit) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (performance.now() - lastAnswerAt > 200) {
        owed = 0;
        answersAtBaseline = answers;
      }
    }
  };
  while (link.open && stats.sent < TOTAL && budget > 0) {
    const batch = Array.from({ length: Math.min(BATCH, budget) }, () => mutate(random));
    budget -= batch.length;
    stats.sent += batch.length;
    owed += batch.length;
    socket.write(Buffer.concat(batch));
    await settle(2 * BATCH);
  }
  if (link.open) {
    // Let the last answers arrive, then leave.
    lastAnswerAt = performance.now();
    await settle(0);
    socket.end();
  } else {
    stats.closedByEdge++;
  }
  await closed;
}

const nats = await startNatsServer();
const nc = await connect(nats.connectOptions);
const topology = await ensureTopology(nc, { owner: 'none' });
await new AccountStore(topology.kv.accounts).create({
  systemId: 'fuzz',
  passwordHash: await hashPassword('secret', { cost: 1024, blockSize: 8, parallelization: 1 }),
  maxSubmitsPerSecond: 5,
  maxBinds: 1000,
});
const [smppPort, grpcPort, adminPort] = (await getFreePorts(3)) as [number, number, number];
const edge = new ServiceProcess('edge', adminPort, {
  NATS_URL: childNatsUrl(nats),
  EDGE_SMPP_HOST: '127.0.0.1',
  EDGE_SMPP_PORT: String(smppPort),
  EDGE_GRPC_PORT: String(grpcPort),
  EDGE_GRPC_ADDRESS: `127.0.0.1:${String(grpcPort)}`,
  LOG_LEVEL: 'error',
});
let crashes = 0;
const started = performance.now();
try {
  await edge.waitReady(30_000);
  await waitForListener(smppPort, 10_000);
  let last = 0;
  const progress = setInterval(() => {
    if (stats.sent - last >= 100_000 || stats.sent >= TOTAL) {
      last = stats.sent;
      process.stdout.write(`  ${String(stats.sent)} PDUs sent, ${String(stats.answers)} answers\n`);
    }
  }, 1000);
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, slot) => {
      let n = 0;
      while (stats.sent < TOTAL && edge.running) await connection(smppPort, (slot + n++) % 10 !== 0);
    }),
  );
  clearInterval(progress);
  const live = await edge.admin('/livez').then(
    (r) => r.status === 200,
    () => false,
  );
  if (!edge.running || !live) crashes++;
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    [
      `fuzz: ${String(stats.sent)} mutated PDUs over ${String(stats.connections)} connections in ${seconds.toFixed(0)} s`,
      `  answers: ${String(stats.answers)}`,
      `  connections ended by the edge: ${String(stats.closedByEdge)}`,
      `  crashes: ${String(crashes)}`,
      `  edge peak RSS: ${peakRssMiB(edge.pid).toFixed(0)} MiB`,
      '',
    ].join('\n'),
  );
} catch (error) {
  crashes++;
  process.stdout.write(`fuzz failed: ${String(error)}\n${edge.output}\n`);
} finally {
  await edge.stop(20_000);
  await nc.close();
  await nats.stop();
}
process.exitCode = crashes === 0 ? 0 : 1;
