// `smsgw topology apply` against a real nats-server: the provisioner is the one caller that changes stream limits.
import type { NatsConnection } from '@nats-io/transport-node';
import {
  connectNats,
  ensureConnectorHealthBucket,
  ensureTopology,
  ensureUpstreamIdsBucket,
  readConnectorBucketTtls,
  readDlrBacklogLimits,
  StreamName,
} from '@smsgw/nats';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../cli-io.test-support.ts';
import { runCli } from '../program.ts';

let server: NatsServerHandle;
let nc: NatsConnection;
let jsm: JetStreamManager;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({ ...server.connectOptions, name: 'cli-topology-test' });
  jsm = await jetstreamManager(nc);
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const captured = captureIo('', env);
  const code = await runCli(['topology', 'apply', ...args, '--nats-url', server.url], captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

describe('smsgw topology apply', () => {
  it('creates the topology with the limits of its environment, and says what the backlog keeps', async () => {
    const r = await cli([], {
      DLR_BACKLOG_MAX: '53',
      DLR_PRIORITY_BACKLOG_MAX: '1',
      DLR_BACKLOG_MAX_AGE: '2h',
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'DLR backlog: 53 reports per account in total (priority 0: 50, priorities 1..3: 1 each), kept 2h',
    );
    expect(r.stdout).toContain(
      'connector buckets: upstream id mappings kept 7d, health entries live 30s unless rewritten',
    );
    expect((await jsm.streams.info(StreamName.dlr)).config.max_msgs_per_subject).toBe(50);
    expect(await readDlrBacklogLimits(jsm)).toEqual({
      dlrBacklogMax: 53,
      dlrPriorityBacklogMax: 1,
      dlrMaxAgeMs: 7_200_000,
    });
  });

  it('is the only one that changes them: a dispatcher starting with others leaves them', async () => {
    await ensureTopology(nc, { owner: 'dlr-dispatcher', dlrBacklogMax: 200, dlrMaxAgeMs: 600_000 });
    expect((await readDlrBacklogLimits(jsm)).dlrBacklogMax).toBe(53);
    const r = await cli(['--dlr-backlog-max', '1000', '--json'], { DLR_BACKLOG_MAX: '53' });
    expect(r.code).toBe(0);
    // The option wins over the environment; the rest are the defaults again.
    expect(JSON.parse(r.stdout)).toEqual({
      dlrBacklogMax: 1_000,
      dlrPriorityBacklogMax: 40,
      dlrMaxAgeMs: 48 * 3_600_000,
      upstreamIdTtlMs: 7 * 24 * 3_600_000,
      connectorHealthTtlMs: 30_000,
    });
  });

  it('refuses a bad limit as a usage error naming it, changing nothing', async () => {
    const r = await cli(['--dlr-backlog-max', '10', '--dlr-priority-backlog-max', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DLR_PRIORITY_BACKLOG_MAX: three times it must stay below DLR_BACKLOG_MAX/);
    const age = await cli([], { DLR_BACKLOG_MAX_AGE: '1m' });
    expect(age.code).toBe(2);
    expect(age.stderr).toMatch(/DLR_BACKLOG_MAX_AGE/);
    expect((await readDlrBacklogLimits(jsm)).dlrBacklogMax).toBe(1_000);
  });
  it('applies the connector bucket TTLs, which connectors starting with others leave alone', async () => {
    const r = await cli(['--connector-health-ttl', '12s', '--json'], {
      CONNECTOR_SMPP_UPSTREAM_ID_TTL: '72h',
      CONNECTOR_HEALTH_TTL: '20s',
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({
      upstreamIdTtlMs: 72 * 3_600_000,
      connectorHealthTtlMs: 12_000,
    });
    // Two connectors with their own (deprecated) TTLs: the buckets keep the provisioned ones.
    for (const ttlMs of [5_000, 60_000]) {
      await ensureConnectorHealthBucket(jsm, { owner: 'connector', ttlMs });
      await ensureUpstreamIdsBucket(jsm, { owner: 'connector', ttlMs: ttlMs * 36_000 });
    }
    expect(await readConnectorBucketTtls(jsm)).toEqual({
      upstreamIdTtlMs: 72 * 3_600_000,
      connectorHealthTtlMs: 12_000,
    });
    // The connector's old names are read too, as deprecated aliases (an upgrade keeps its TTLs).
    const old = await cli(['--json'], {
      CONNECTOR_HEALTH_TTL_MS: '15000',
      SMPP_UPSTREAM_ID_TTL_MS: '259200000',
    });
    expect(JSON.parse(old.stdout)).toMatchObject({
      upstreamIdTtlMs: 259_200_000,
      connectorHealthTtlMs: 15_000,
    });
    const short = await cli([], { CONNECTOR_SMPP_UPSTREAM_ID_TTL: '24h' });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/CONNECTOR_SMPP_UPSTREAM_ID_TTL/);
  });
});
