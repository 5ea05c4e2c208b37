/**
 * The stall watch: the decision (stranded messages on two looks in a row with
 * no delivery between them → a consumer leader stepdown, the next → a stream
 * leader stepdown) and, on a real three-node cluster, the looks and the
 * stepdown requests themselves. A consumer that starts after messages were
 * stored (deliver_policy new, so on a limits stream: a WorkQueue stream
 * allows only deliver all) never delivers them, which is to the watch what
 * the stranded messages of a stuck consumer are.
 */
import { AckPolicy, DeliverPolicy, RetentionPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { captureLogger, startNatsCluster, type NatsClusterHandle } from '@smsgw/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_STALL, StallWatch, assessStall, stranded, type StallSnapshot } from './stall-watch.ts';

const snapshot = (over: Partial<StallSnapshot> = {}): StallSnapshot => ({
  stored: 10,
  pending: 0,
  ackPending: 0,
  delivered: 100,
  ...over,
});

describe('assessStall', () => {
  it('counts as stranded only what the consumer neither has pending nor out for an ack', () => {
    expect(stranded(snapshot())).toBe(10);
    expect(stranded(snapshot({ pending: 4, ackPending: 6 }))).toBe(0);
    expect(stranded(snapshot({ stored: 3, pending: 5 }))).toBe(0);
  });

  it('acts on the second look in a row without delivery, then on the stream, then starts over', () => {
    const first = assessStall(NO_STALL, snapshot());
    expect(first.action).toBe('none');
    const second = assessStall(first.state, snapshot());
    expect(second.action).toBe('consumer-stepdown');
    const third = assessStall(second.state, snapshot());
    expect(third.action).toBe('stream-stepdown');
    expect(third.state.strikes).toBe(0);
  });

  it('forgets the strikes when the consumer delivered meanwhile or nothing is stranded', () => {
    const first = assessStall(NO_STALL, snapshot());
    expect(assessStall(first.state, snapshot({ delivered: 101 })).action).toBe('none');
    expect(assessStall(first.state, snapshot({ pending: 10 })).state.strikes).toBe(0);
  });
});

describe('StallWatch on a three-node cluster', () => {
  let cluster: NatsClusterHandle;
  let nc: NatsConnection;

  beforeAll(async () => {
    cluster = await startNatsCluster();
    nc = await connect({ ...cluster.connectOptions, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  }, 60_000);

  afterAll(async () => {
    await nc.close();
    await cluster.stop();
  });

  it('leaves a consumer that delivers alone, and asks for new leaders for one that holds stranded messages', async () => {
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    await jsm.streams.add({
      name: 'STALL',
      subjects: ['stall.>'],
      retention: RetentionPolicy.Limits,
      num_replicas: 3,
    });
    for (let i = 0; i < 5; i++) await js.publish('stall.a', String(i));
    // Starts after the five: they stay stored under its filter and it never delivers them.
    await jsm.consumers.add('STALL', {
      durable_name: 'stuck',
      filter_subject: 'stall.a',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      num_replicas: 3,
    });
    await jsm.consumers.add('STALL', {
      durable_name: 'healthy',
      filter_subject: 'stall.b',
      ack_policy: AckPolicy.Explicit,
      num_replicas: 3,
    });
    await js.publish('stall.b', 'x');

    const { logger, lines } = captureLogger();
    const healthy = new StallWatch({ jsm, nc, consumer: await js.consumers.get('STALL', 'healthy'), logger });
    // Pending, not stranded: never an action.
    for (let i = 0; i < 3; i++) expect(await healthy.look()).toBe('none');

    const stuckConsumer = await js.consumers.get('STALL', 'stuck');
    const watch = new StallWatch({ jsm, nc, consumer: stuckConsumer, logger });
    const leaderOf = async (): Promise<string | undefined> => (await stuckConsumer.info()).cluster?.leader;
    const before = await leaderOf();
    expect(await watch.look()).toBe('none');
    expect(await watch.look()).toBe('consumer-stepdown');
    await expect.poll(leaderOf, { timeout: 15_000, interval: 250 }).not.toBe(before);
    const streamLeader = await cluster.streamLeader('STALL');
    expect(await watch.look()).toBe('stream-stepdown');
    await expect
      .poll(async () => await cluster.streamLeader('STALL'), { timeout: 15_000, interval: 250 })
      .not.toBe(streamLeader);
    expect(
      lines().some((l) => l.msg === 'consumer holds stranded messages; asking NATS for a new leader'),
    ).toBe(true);

    // A message received in between: the next look starts the count over.
    watch.progressed();
    expect(await watch.look()).toBe('none');
    expect(await watch.look()).toBe('none');
  }, 90_000);
});
