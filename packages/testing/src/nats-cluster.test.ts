/**
 * The three-node cluster fixture: JetStream at three replicas, a stream's
 * leader found, a leader killed (a new one elected, the data kept) and
 * restarted, a node hung and resumed.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { NatsClusterHandle } from './nats-cluster-handle.ts';
import { startNatsCluster } from './nats-cluster.ts';

let cluster: NatsClusterHandle;
let nc: NatsConnection;

/** A JetStream API request (raw: this package does not depend on the JetStream client). */
async function api(subject: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const reply = await nc.request(subject, JSON.stringify(body), { timeout: 5_000 });
  return reply.json<Record<string, unknown>>();
}

/** The FIXTURE stream's message count. */
async function messages(): Promise<unknown> {
  const info = await api('$JS.API.STREAM.INFO.FIXTURE').catch((): Record<string, unknown> => ({}));
  return (info['state'] as { messages?: number } | undefined)?.messages;
}

beforeAll(async () => {
  cluster = await startNatsCluster();
  nc = await connect({ ...cluster.connectOptions, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
}, 60_000);

afterAll(async () => {
  await nc.close();
  await cluster.stop();
});

it('runs a stream at three replicas and names its leader', async () => {
  const created = await api('$JS.API.STREAM.CREATE.FIXTURE', {
    name: 'FIXTURE',
    subjects: ['fixture.>'],
    num_replicas: 3,
  });
  expect(created['error']).toBeUndefined();
  await expect.poll(() => cluster.streamLeader('FIXTURE'), { timeout: 10_000 }).toBeGreaterThanOrEqual(0);
  for (let i = 0; i < 10; i++) {
    const ack = (await nc.request('fixture.a', String(i), { timeout: 5_000 })).json<{ seq?: number }>();
    expect(ack.seq).toBe(i + 1);
  }
  const info = await api('$JS.API.STREAM.INFO.FIXTURE');
  expect((info['cluster'] as { replicas?: unknown[] }).replicas).toHaveLength(2);
});

it('elects a new leader when the leader is killed, and keeps the data across a restart', async () => {
  const leader = (await cluster.streamLeader('FIXTURE')) as number;
  await cluster.kill(leader);
  await expect
    .poll(
      async () => {
        const now = await cluster.streamLeader('FIXTURE');
        return now !== undefined && now !== leader;
      },
      { timeout: 20_000, interval: 250 },
    )
    .toBe(true);
  await cluster.restart(leader);
  await cluster.waitReady(20_000);
  await expect.poll(messages, { timeout: 10_000 }).toBe(10);
}, 60_000);

it('hangs a node and lets it run again', async () => {
  const leader = (await cluster.streamLeader('FIXTURE')) as number;
  await cluster.hang(leader);
  await expect
    .poll(
      async () => {
        const now = await cluster.streamLeader('FIXTURE');
        return now !== undefined && now !== leader;
      },
      { timeout: 30_000, interval: 250 },
    )
    .toBe(true);
  await cluster.resume(leader);
  await cluster.waitReady(20_000);
}, 60_000);
