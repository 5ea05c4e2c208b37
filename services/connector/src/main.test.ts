/**
 * The real service process (`node src/main.ts`, under the Node running the
 * tests) against a real nats-server: a kill -9 mid-stream loses nothing, and
 * SIGTERM drains cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import {
  ConnectorHealthBucket,
  StreamName,
  connectNats,
  connectorHealthKey,
  decodeConnectorHealthEntry,
  readConnectorHealthTtl,
  ensureConnectorLanes,
  ensureTopology,
  simConsumerName,
  simSubject,
  type Priority,
} from '@smsgw/nats';
import { childNatsUrl, startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  StatusCollector,
  freePort,
  laneCounts,
  publishRoutedMany,
  routedMessage,
  waitFor,
  waitForEmptyLanes,
} from './connector.test-support.ts';
import { decodeSimAnswers } from './sim/sim-network.ts';

/** Answers a connector's sim owes and keeps in SMS_SIM: a stored batch holds the answers of one turn. */
async function owedAnswers(jsm: JetStreamManager, connector: string): Promise<number> {
  const { state } = await jsm.streams.info(StreamName.sim);
  let owed = 0;
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    // WorkQueue: an answered batch is gone, so most sequences find nothing.
    const m = await jsm.streams.getMessage(StreamName.sim, { seq }).catch(() => null);
    if (m === null || m.subject !== simSubject(connector)) continue;
    owed += decodeSimAnswers(m.data).length;
  }
  return owed;
}

const SERVICE_DIR = fileURLToPath(new URL('..', import.meta.url));
const CONNECTOR_ACK_WAIT = 2_000;

let server: NatsServerHandle;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({
    ...server.connectOptions,
    name: 'connector-main-test',
    waitOnFirstConnect: false,
  });
  ({ js, jsm } = await ensureTopology(nc, { owner: 'all' }));
});

afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

interface ConnectorProcess {
  readonly child: ChildProcess;
  /** Resolves when the service logged that it started. */
  readonly started: Promise<void>;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Every log line so far, parsed. */
  readonly lines: Record<string, unknown>[];
  readonly adminPort: number;
}

async function spawnConnector(connector: string, env: Record<string, string>): Promise<ConnectorProcess> {
  const adminPort = await freePort();
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: SERVICE_DIR,
    env: {
      PATH: process.env['PATH'] ?? '',
      NATS_URL: childNatsUrl(server),
      CONNECTOR_NAME: connector,
      POD_NAME: `${connector}-pod`,
      ADMIN_HOST: '127.0.0.1',
      ADMIN_PORT: String(adminPort),
      CONNECTOR_ACK_WAIT: String(CONNECTOR_ACK_WAIT),
      CONNECTOR_PULL_EXPIRES: '1s',
      SHUTDOWN_GRACE: '15s',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  let onStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => {
    onStarted = resolve;
  });
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let end;
    while ((end = buffered.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffered.slice(0, end)) as Record<string, unknown>;
      buffered = buffered.slice(end + 1);
      lines.push(line);
      if (line['msg'] === 'connector started') onStarted();
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    });
  });
  const startedOrDead = Promise.race([
    started,
    exited.then((code) => {
      throw new Error(`connector exited (${code}) before starting: ${stderr}`);
    }),
  ]);
  return { child, started: startedOrDead, exited, lines, adminPort };
}

/** Routed messages that all get a final status (no destination ends in 99), spread over the four lanes. */
function workload(
  prefix: string,
  count: number,
): { priority: Priority; routed: ReturnType<typeof routedMessage> }[] {
  return Array.from({ length: count }, (_, i) => {
    const priority = (i % 4) as Priority;
    const destination = `4512${String(i).padStart(5, '0')}${i % 9}`;
    return { priority, routed: routedMessage({ messageId: `${prefix}${i}`, destination, priority }) };
  });
}

describe('connector process', () => {
  it('refuses a bad configuration, naming the variable, with a non-zero exit', async () => {
    const child = spawn(process.execPath, ['src/main.ts'], {
      cwd: SERVICE_DIR,
      env: {
        PATH: process.env['PATH'] ?? '',
        CONNECTOR_MAX_IN_FLIGHT: 'many',
        CONNECTOR_DRIVER: 'carrier-pigeon',
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.add(child);
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    // One pino line: the fatal event with the ConfigError naming every bad variable.
    const fatal = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; err?: { message: string } })
      .find((event) => event.level === 'fatal');
    expect(fatal?.err?.message).toContain('CONNECTOR_MAX_IN_FLIGHT: expected a positive integer, got "many"');
    expect(fatal?.err?.message).toContain('CONNECTOR_DRIVER: expected one of sim');
  });

  it('kill -9 mid-stream, then a restart: every routed message gets its status event, the lanes end empty', async () => {
    const connector = 'crash';
    const total = 2_000;
    await ensureConnectorLanes(jsm, connector, {
      owner: 'all',
      connector: { ackWaitMs: CONNECTOR_ACK_WAIT },
    });
    await publishRoutedMany(js, connector, workload('c', total));
    const collector = new StatusCollector(js);
    collector.start();
    try {
      // Two slots: the sim accepts in a few ms, so a wider connector would be done before the kill.
      const env = { CONNECTOR_SIM_DELAY: '20', CONNECTOR_SIM_ACK_WAIT: '2s', CONNECTOR_MAX_IN_FLIGHT: '2' };
      const first = await spawnConnector(connector, env);
      await first.started;
      await collector.waitForIds(300, 20_000);
      first.child.kill('SIGKILL');
      expect(await first.exited).toBeNull();
      // Killed mid-stream: messages were still to come, and some were taken but never acked.
      expect(collector.ids.size).toBeLessThan(total);
      expect((await laneCounts(jsm, connector)).ackPending).toBeGreaterThan(0);

      const second = await spawnConnector(connector, env);
      await second.started;
      await collector.waitForIds(total, 30_000);
      await waitForEmptyLanes(jsm, connector);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      expect(collector.ids.size).toBe(total);
      expect([...collector.ids].every((id) => /^c\d+$/.test(id))).toBe(true);
    } finally {
      await collector.stop();
    }
  }, 60_000);

  it('SIGTERM stops pulling, finishes what it took, exits 0 and leaves nothing unacked', async () => {
    const connector = 'graceful';
    // Enough that two slots cannot empty the lanes between the first statuses and the SIGTERM on a busy machine.
    const total = 6_000;
    await ensureConnectorLanes(jsm, connector, {
      owner: 'all',
      connector: { ackWaitMs: CONNECTOR_ACK_WAIT },
    });
    await publishRoutedMany(js, connector, workload('g', total));
    const collector = new StatusCollector(js);
    collector.start();
    try {
      // Two slots: the sim accepts in a few ms, so a wider connector would empty the lanes before the SIGTERM.
      const env = { CONNECTOR_SIM_DELAY: '50', CONNECTOR_MAX_IN_FLIGHT: '2', CONNECTOR_LANE_PREFETCH: '4' };
      const first = await spawnConnector(connector, env);
      await first.started;
      const ready = await fetch(`http://127.0.0.1:${first.adminPort}/readyz`);
      expect(ready.status).toBe(200);
      await collector.waitForIds(10, 20_000);
      const metrics = await (await fetch(`http://127.0.0.1:${first.adminPort}/metrics`)).text();
      expect(metrics).toMatch(/smsgw_connector_messages_processed_total\{[^}]*lane="3"[^}]*\} [1-9]/);

      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      const counts = await laneCounts(jsm, connector);
      expect(counts.ackPending).toBe(0);
      expect(counts.pending).toBeGreaterThan(0);
      // Answers the sim owed and had not given yet went back to SMS_SIM, none is held.
      const sim = await jsm.consumers.info(StreamName.sim, simConsumerName(connector));
      expect(sim.num_ack_pending).toBe(0);
      const owed = await owedAnswers(jsm, connector);
      expect(first.lines.find((l) => l['msg'] === 'shutdown finished')).toMatchObject({ exitCode: 0 });
      const handed = collector.ids.size;
      await waitFor(
        () => Promise.resolve(collector.ids.size + counts.pending + owed >= total),
        5_000,
        'the last events',
      );
      expect(collector.ids.size + counts.pending + owed).toBe(total);
      expect(handed).toBeLessThan(total);

      const second = await spawnConnector(connector, env);
      await second.started;
      await collector.waitForIds(total, 60_000);
      await waitForEmptyLanes(jsm, connector);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      // A clean stop makes no duplicates.
      expect(collector.events).toBe(total);
    } finally {
      await collector.stop();
    }
  }, 120_000);

  it('takes the health bucket TTL from the bucket: creates a missing one with its own, never changes a provisioned one, paces its heartbeat by it', async () => {
    const bucketStream = `KV_${ConnectorHealthBucket.name}`;
    await jsm.streams.delete(bucketStream).catch(() => false);
    // First start on an empty NATS: the connector creates the bucket with its (deprecated) setting.
    const first = await spawnConnector('ttl-a', { CONNECTOR_HEALTH_TTL: '4s' });
    await first.started;
    expect(await readConnectorHealthTtl(jsm)).toBe(4_000);
    // The provisioner owns it from here on.
    await ensureTopology(nc, { owner: 'provisioner', connectorHealthTtlMs: 3_000 });
    expect(await readConnectorHealthTtl(jsm)).toBe(3_000);
    const second = await spawnConnector('ttl-b', { CONNECTOR_HEALTH_TTL: '10m' });
    await second.started;
    expect(await readConnectorHealthTtl(jsm)).toBe(3_000);
    expect(second.lines.find((l) => l['level'] === 'warn' && 'differing' in l)).toMatchObject({
      variables: ['CONNECTOR_HEALTH_TTL'],
      differing: { CONNECTOR_HEALTH_TTL: { configured: 600_000, bucket: 3_000 } },
    });

    // Paced by the bucket's 3 s (a rewrite a second), not its own 10 min: several writes soon.
    const kv = await new Kvm(js).open(ConnectorHealthBucket.name);
    const entryOf = async (connector: string) => {
      const key = connectorHealthKey(connector, `${connector}-pod`);
      const entry = await kv.get(key);
      return entry === null || entry.operation !== 'PUT'
        ? undefined
        : { revision: entry.revision, value: decodeConnectorHealthEntry(key, entry.value) };
    };
    const revisions = new Set<number>();
    await waitFor(
      async () => {
        const entry = await entryOf('ttl-b');
        if (entry !== undefined) revisions.add(entry.revision);
        return revisions.size >= 4;
      },
      30_000,
      'four health writes of the connector configured with 10m',
    );
    expect((await entryOf('ttl-b'))?.value.ttlMs).toBe(3_000);
    // The first replica reads the new TTL before its next rewrite.
    await waitFor(
      async () => (await entryOf('ttl-a'))?.value.ttlMs === 3_000,
      15_000,
      'the first connector to take the provisioned TTL',
    );
    expect(await readConnectorHealthTtl(jsm)).toBe(3_000);
  }, 60_000);
});
