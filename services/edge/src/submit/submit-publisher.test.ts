/**
 * The InboxPublisher against a real NATS server: a PubAck resolves (with its
 * duplicate flag), every way of not being stored rejects with an error that
 * publishErrorStatus turns into ESME_RSYSERR or ESME_RMSGQFUL, and nothing
 * settles twice.
 */
import {
  DiscardPolicy,
  JetStreamApiError,
  JetStreamError,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import {
  ClosedConnectionError,
  connect,
  NoRespondersError,
  TimeoutError,
  type NatsConnection,
} from '@nats-io/transport-node';
import { CommandStatus } from '@smsgw/smpp';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishErrorStatus } from './publish-status.ts';
import { InboxPublisher, parsePubAck, submitPublisherFor } from './submit-publisher.ts';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

let server: NatsServerHandle;
let nc: NatsConnection;
let jsm: JetStreamManager;
let js: JetStreamClient;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect(server.connectOptions);
  jsm = await jetstreamManager(nc);
  js = jetstream(nc);
  const base = { retention: RetentionPolicy.Workqueue, storage: StorageType.File, num_replicas: 1 };
  await jsm.streams.add({ ...base, name: 'PUB_OK', subjects: ['pub.ok.*'] });
  await jsm.streams.add({
    ...base,
    name: 'PUB_FULL',
    subjects: ['pub.full'],
    max_msgs: 1,
    discard: DiscardPolicy.New,
  });
  await jsm.streams.add({ ...base, name: 'PUB_SMALL', subjects: ['pub.small'], max_msg_size: 16 });
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

const payload = (text: string): Uint8Array => Buffer.from(text);

describe('InboxPublisher', () => {
  it('resolves with the PubAck of each stored message, many in one turn', async () => {
    const publisher = new InboxPublisher(nc, 5_000);
    const acks = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        publisher.publish('pub.ok.a', payload(`m${i}`), `ok-${i}`, TRACEPARENT),
      ),
    );
    expect(acks.every((a) => a.stream === 'PUB_OK' && !a.duplicate)).toBe(true);
    expect(new Set(acks.map((a) => a.seq)).size).toBe(300);
    expect(publisher.pending).toBe(0);
    const stored = await jsm.streams.getMessage('PUB_OK', { seq: acks[0]?.seq ?? 0 });
    expect(stored?.header.get('Nats-Msg-Id')).toBe('ok-0');
    expect(stored?.header.get('traceparent')).toBe(TRACEPARENT);
    publisher.close();
  });

  it('reports a message id JetStream has already stored as a duplicate', async () => {
    const publisher = new InboxPublisher(nc, 5_000);
    const first = await publisher.publish('pub.ok.b', payload('x'), 'dup-1', TRACEPARENT);
    const second = await publisher.publish('pub.ok.b', payload('y'), 'dup-1', TRACEPARENT);
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
    publisher.close();
  });

  it('rejects with the JetStream API error when the stream refuses the message', async () => {
    const publisher = new InboxPublisher(nc, 5_000);
    await publisher.publish('pub.full', payload('1'), 'full-1', TRACEPARENT);
    const full = await publisher
      .publish('pub.full', payload('2'), 'full-2', TRACEPARENT)
      .catch((e: unknown) => e);
    expect(full).toBeInstanceOf(JetStreamApiError);
    expect(publishErrorStatus(full)).toBe(CommandStatus.ESME_RMSGQFUL);
    const big = await publisher
      .publish('pub.small', payload('far more than sixteen bytes'), 'big-1', TRACEPARENT)
      .catch((e: unknown) => e);
    expect(big).toBeInstanceOf(JetStreamApiError);
    expect(publishErrorStatus(big)).toBe(CommandStatus.ESME_RSYSERR);
    publisher.close();
  });

  it('rejects with NoRespondersError when no stream takes the subject', async () => {
    const publisher = new InboxPublisher(nc, 5_000);
    const error = await publisher
      .publish('pub.nowhere', payload('x'), 'none-1', TRACEPARENT)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoRespondersError);
    // What a stream electing a leader looks like (only its leader listens): transient (docs/operations.md).
    expect(publishErrorStatus(error)).toBe(CommandStatus.ESME_RMSGQFUL);
    publisher.close();
  });

  it('times out without a PubAck and ignores one that comes later', async () => {
    // A responder that answers like JetStream, but only after the publisher has given up (well after, so
    // that a loaded machine's late timer still fires first).
    const { promise: answeredLate, resolve: lateSent } = Promise.withResolvers<undefined>();
    const late = nc.subscribe('pub.slow', {
      callback: (_err, msg) => {
        setTimeout(() => {
          msg.respond(JSON.stringify({ stream: 'X', seq: 1 }));
          lateSent(undefined);
        }, 1_000);
      },
    });
    const silent = nc.subscribe('pub.silent', { callback: () => undefined });
    const publisher = new InboxPublisher(nc, 200);
    const started = performance.now();
    const [slow, never] = await Promise.all([
      publisher.publish('pub.slow', payload('x'), 'slow-1', TRACEPARENT).catch((e: unknown) => e),
      publisher.publish('pub.silent', payload('x'), 'silent-1', TRACEPARENT).catch((e: unknown) => e),
    ]);
    const elapsed = performance.now() - started;
    expect(slow).toBeInstanceOf(TimeoutError);
    expect(never).toBeInstanceOf(TimeoutError);
    expect(publishErrorStatus(never)).toBe(CommandStatus.ESME_RMSGQFUL);
    expect(elapsed).toBeGreaterThanOrEqual(195);
    expect(elapsed).toBeLessThan(2_000);
    // The late answer is sent; the next publish's answer comes after it on the same connection: nothing happens.
    await answeredLate;
    expect(publisher.pending).toBe(0);
    // Still usable after timeouts.
    expect((await publisher.publish('pub.ok.c', payload('x'), 'after-1', TRACEPARENT)).stream).toBe('PUB_OK');
    late.unsubscribe();
    silent.unsubscribe();
    publisher.close();
  });

  it('rejects what waits, and what comes after, once closed', async () => {
    const silent = nc.subscribe('pub.silent2', { callback: () => undefined });
    const publisher = new InboxPublisher(nc, 5_000);
    const waiting = publisher
      .publish('pub.silent2', payload('x'), 'c-1', TRACEPARENT)
      .catch((e: unknown) => e);
    await nc.flush();
    publisher.close();
    expect(await waiting).toBeInstanceOf(ClosedConnectionError);
    expect(
      await publisher.publish('pub.ok.d', payload('x'), 'c-2', TRACEPARENT).catch((e: unknown) => e),
    ).toBeInstanceOf(ClosedConnectionError);
    silent.unsubscribe();
  });

  it('rejects what waits when the connection closes, and fails fast after', async () => {
    const own = await connect(server.connectOptions);
    own.subscribe('pub.silent3', { callback: () => undefined });
    const publisher = new InboxPublisher(own, 5_000);
    const waiting = publisher
      .publish('pub.silent3', payload('x'), 'cc-1', TRACEPARENT)
      .catch((e: unknown) => e);
    await own.flush();
    await own.close();
    const error = await waiting;
    expect(error).toBeInstanceOf(ClosedConnectionError);
    expect(publishErrorStatus(error)).toBe(CommandStatus.ESME_RMSGQFUL);
    const after = await publisher
      .publish('pub.ok.e', payload('x'), 'cc-2', TRACEPARENT)
      .catch((e: unknown) => e);
    expect(after).toBeInstanceOf(Error);
    // A closed connection passes with the pod (its clients' retries go to another edge): transient.
    expect(publishErrorStatus(after)).toBe(CommandStatus.ESME_RMSGQFUL);
  });
});

describe('parsePubAck', () => {
  const bytes = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));

  it('reads the stream, sequence and duplicate flag', () => {
    expect(parsePubAck(bytes({ stream: 'S', seq: 7 }))).toEqual({ stream: 'S', seq: 7, duplicate: false });
    expect(parsePubAck(bytes({ stream: 'S', seq: 7, duplicate: true, domain: 'd' }))).toEqual({
      stream: 'S',
      seq: 7,
      duplicate: true,
      domain: 'd',
    });
  });

  it('throws for an error answer, and for anything that is not a PubAck', () => {
    expect(() => parsePubAck(bytes({ error: { code: 503, err_code: 10077, description: 'full' } }))).toThrow(
      JetStreamApiError,
    );
    for (const body of [{}, { stream: '', seq: 1 }, { stream: 'S' }, null, 'x']) {
      expect(() => parsePubAck(bytes(body))).toThrow(JetStreamError);
    }
    expect(() => parsePubAck(Buffer.from('not json'))).toThrow(SyntaxError);
  });
});

describe('submitPublisherFor', () => {
  it('uses the InboxPublisher on a JetStream client it can see the connection of', () => {
    const publisher = submitPublisherFor(js, 1_000);
    expect(publisher).toBeInstanceOf(InboxPublisher);
    publisher.close();
  });

  it('falls back to js.publish() for a stand-in client', async () => {
    const calls: unknown[][] = [];
    const standIn = {
      publish: (...args: unknown[]) => {
        calls.push(args);
        return Promise.resolve({ stream: 'S', seq: 1, duplicate: false });
      },
    } as unknown as JetStreamClient;
    const publisher = submitPublisherFor(standIn, 1_000);
    expect(publisher).not.toBeInstanceOf(InboxPublisher);
    expect(await publisher.publish('s', payload('x'), 'id-1', TRACEPARENT)).toMatchObject({ seq: 1 });
    expect(calls[0]?.[2]).toMatchObject({ msgID: 'id-1', timeout: 1_000 });
    expect(publisher.pending).toBe(0);
  });
});
