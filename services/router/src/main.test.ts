/**
 * The real process (`node src/main.ts`) against a real NATS: killed with
 * SIGKILL in the middle of its work and started again, every submit is routed
 * exactly once; stopped with SIGTERM, it exits 0 having settled everything it
 * received.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { AckPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { AccountStore } from '@smsgw/accounts';
import { ConsumerName, StreamName, connectNats, ensureTopology, submitSubject } from '@smsgw/nats';
import { RoutedMessageSchema, SubmitAcceptedSchema } from '@smsgw/proto';
import { startNatsServer, type NatsServerHandle, getFreePort } from '@smsgw/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accountInput, makeSubmit, waitFor } from './router.test-support.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const READER = 'test-route-reader';

let server: NatsServerHandle;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
const children = new Set<ChildProcess>();
let nextId = 5_000_000;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({ ...server.connectOptions, name: 'router-main-test', waitOnFirstConnect: false });
  const topology = await ensureTopology(nc, { owner: 'all' });
  ({ js, jsm } = topology);
  await jsm.consumers.add(StreamName.route, { durable_name: READER, ack_policy: AckPolicy.Explicit });
  const store = new AccountStore(topology.kv.accounts);
  await store.put(
    await accountInput('acme', {
      approvedPriorities: [0, 1, 2, 3],
      routes: [{ destinationPrefix: '45', connector: 'dk' }],
    }),
  );
});

afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

/** The server's URL with the fixture's credentials in it (the container backend has some). */
function natsUrl(): string {
  const { servers, user, pass } = server.connectOptions;
  if (user === undefined) return servers;
  const url = new URL(servers);
  url.username = user;
  url.password = pass ?? '';
  return url.toString();
}

interface RouterProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Parsed log lines so far. */
  readonly lines: () => Record<string, unknown>[];
}

/** Starts `node src/main.ts` with the Node running the tests; resolves once it logs 'router started'. */
async function startRouter(name: string, env: Record<string, string> = {}): Promise<RouterProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env['PATH'] ?? '',
      NATS_URL: natsUrl(),
      POD_NAME: name,
      ADMIN_HOST: '127.0.0.1',
      ADMIN_PORT: String(await getFreePort()),
      LOG_LEVEL: 'info',
      ROUTER_PULL_EXPIRES: '1s',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  let errors = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      children.delete(child);
      resolve(code);
    });
  });
  const lines = (): Record<string, unknown>[] =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const started = waitFor('router started', () => lines().some((l) => l['msg'] === 'router started'), 15_000);
  const failed = exited.then((code) => {
    throw new Error(`router exited (${code}) before it started:\n${output}\n${errors}`);
  });
  await Promise.race([started, failed]);
  return { child, exited, lines };
}

/** Publishes `count` submits as an edge would, 100 at a time; returns their message ids. */
async function publishSubmits(count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => String(nextId++));
  for (let i = 0; i < ids.length; i += 100) {
    await Promise.all(
      ids.slice(i, i + 100).map((id, j) => {
        const submit = makeSubmit(id, {
          systemId: j % 3 === 0 ? 'ghost' : 'acme',
          priorityFlag: j % 4,
          destination: {
            ton: 1,
            npi: 1,
            addr: j % 2 === 0 ? '4512345678' : '4612345678',
            $typeName: 'smsgw.v1.Address',
          },
        });
        return js.publish(submitSubject(submit.systemId), toBinary(SubmitAcceptedSchema, submit), {
          msgID: id,
        });
      }),
    );
  }
  return ids;
}

async function streamMessages(stream: string): Promise<number> {
  return (await jsm.streams.info(stream)).state.messages;
}

async function ackPending(): Promise<number> {
  return (await jsm.consumers.info(StreamName.submit, ConsumerName.router)).num_ack_pending;
}

/** Reads and removes every routed message; returns how often each message id was seen. */
async function takeAllRouted(expected: number): Promise<Map<string, number>> {
  const reader = await js.consumers.get(StreamName.route, READER);
  const seen = new Map<string, number>();
  let total = 0;
  while (total < expected) {
    const batch = await reader.fetch({ max_messages: Math.min(500, expected - total), expires: 2_000 });
    let got = 0;
    for await (const m of batch) {
      const id = fromBinary(RoutedMessageSchema, m.data).submit?.messageId ?? '';
      seen.set(id, (seen.get(id) ?? 0) + 1);
      m.ack();
      got++;
    }
    if (got === 0) break;
    total += got;
  }
  return seen;
}

/** Waits until SMS_SUBMIT is empty and nothing is waiting for an ack. */
async function allSubmitsSettled(timeoutMs: number): Promise<void> {
  await waitFor(
    'SMS_SUBMIT to empty',
    async () => (await streamMessages(StreamName.submit)) === 0 && (await ackPending()) === 0,
    timeoutMs,
  );
}

describe('the router process', () => {
  it(
    'routes every submit exactly once across a SIGKILL mid-batch and a restart',
    { timeout: 60_000 },
    async () => {
      const total = 2_000;
      const ids = await publishSubmits(total);
      // Short ack_wait, so that what the killed process held comes back quickly.
      const crashEnv = { ROUTER_ACK_WAIT: '2s', ROUTER_BATCH_SIZE: '50', ROUTER_CONCURRENCY: '4' };

      const first = await startRouter('router-crash-1', crashEnv);
      await waitFor(
        'some submits routed',
        async () => (await streamMessages(StreamName.route)) >= 300,
        20_000,
      );
      first.child.kill('SIGKILL');
      expect(await first.exited).toBeNull();
      const routedBeforeRestart = await streamMessages(StreamName.route);
      // Killed in the middle: some routed, some not, some delivered to it and never acked.
      expect(routedBeforeRestart).toBeLessThan(total);
      expect(await streamMessages(StreamName.submit)).toBeGreaterThan(0);

      const second = await startRouter('router-crash-2', crashEnv);
      await allSubmitsSettled(30_000);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);

      expect(await streamMessages(StreamName.route)).toBe(total);
      const seen = await takeAllRouted(total);
      expect(seen.size).toBe(total);
      expect(ids.filter((id) => seen.get(id) !== 1)).toEqual([]);
      expect(await streamMessages(StreamName.submit)).toBe(0);
    },
  );

  it('on SIGTERM settles what it received, exits 0, and loses nothing', { timeout: 60_000 }, async () => {
    const total = 1_000;
    const ids = await publishSubmits(total);
    // The default ack_wait (30 s): a submit left unsettled would still be pending when checked below.
    const env = { ROUTER_ACK_WAIT: '30s', ROUTER_BATCH_SIZE: '50', ROUTER_CONCURRENCY: '4' };

    const first = await startRouter('router-term-1', env);
    await waitFor('some submits routed', async () => (await streamMessages(StreamName.route)) >= 200, 20_000);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const messages = first.lines().map((l) => l['msg']);
    expect(messages).toEqual(
      expect.arrayContaining(['signal received', 'router intake stopping', 'shutdown finished']),
    );
    expect(messages.at(-1)).toBe('shutdown finished');
    expect(first.lines().filter((l) => l['level'] === 'error' || l['level'] === 'fatal')).toEqual([]);

    // Everything it received was acked or handed back: nothing waits for ack_wait.
    await waitFor('the last acks', async () => (await ackPending()) === 0, 3_000);
    const routed = await streamMessages(StreamName.route);
    expect(routed + (await streamMessages(StreamName.submit))).toBe(total);

    const second = await startRouter('router-term-2', env);
    await allSubmitsSettled(30_000);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const seen = await takeAllRouted(total);
    expect(ids.filter((id) => seen.get(id) !== 1)).toEqual([]);
    expect(seen.size).toBe(total);
  });
});
