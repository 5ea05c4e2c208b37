/**
 * The shared pull worker against a real nats-server (one for this file): each
 * test gets a WorkQueue stream and durable of its own, so that what one test
 * leaves behind cannot be pulled by another.
 */
import {
  AckPolicy,
  JetStreamError,
  RetentionPolicy,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { captureLogger, startNatsServer, waitFor, type LogLine, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from './connect.ts';
import { endedUnannounced, startPullWorker, type PullWorker, type PullWorkerOptions } from './pull-worker.ts';

const DURABLE = 'worker';
let server: NatsServerHandle;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let queues = 0;
/** Workers a test started; stopped after it even when it failed. */
const running: PullWorker[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({ ...server.connectOptions, name: 'pull-worker-test', waitOnFirstConnect: false });
  jsm = await jetstreamManager(nc);
  js = jsm.jetstream();
});

afterEach(async () => {
  for (const worker of running.splice(0)) {
    await worker.stopIntake();
    await worker.drained();
  }
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

/** A test's own queue: a WorkQueue stream on `<subject>.>` and its durable. */
interface Queue {
  readonly stream: string;
  readonly subject: string;
}

async function addDurable(stream: string): Promise<void> {
  await jsm.consumers.add(stream, { durable_name: DURABLE, ack_policy: AckPolicy.Explicit, ack_wait: 30e9 });
}

async function freshQueue(): Promise<Queue> {
  const n = ++queues;
  const queue = { stream: `PW_${n}`, subject: `pw${n}` };
  await jsm.streams.add({
    name: queue.stream,
    subjects: [`${queue.subject}.>`],
    retention: RetentionPolicy.Workqueue,
  });
  await addDurable(queue.stream);
  return queue;
}

async function publish(queue: Queue, count: number, from = 0): Promise<void> {
  for (let i = from; i < from + count; i++)
    await js.publish(`${queue.subject}.m`, new TextEncoder().encode(`${i}`));
}

/** Messages of the queue not yet acked: still in the stream (WorkQueue: an ack removes it). */
async function unsettled(queue: Queue): Promise<number> {
  return (await jsm.streams.info(queue.stream)).state.messages;
}

function start(
  queue: Queue,
  handle: PullWorkerOptions['handle'],
  overrides: Partial<PullWorkerOptions> = {},
): { worker: PullWorker; lines: () => LogLine[] } {
  const { logger, lines } = captureLogger({ level: 'trace' });
  const worker = startPullWorker({
    js,
    stream: queue.stream,
    consumer: DURABLE,
    handle,
    batchSize: 16,
    concurrency: 4,
    pullExpiresMs: 1_000,
    restartDelayMs: 100,
    logger,
    name: 'tester',
    ...overrides,
  });
  running.push(worker);
  return { worker, lines };
}

/** A handler that holds every message until release(), then acks it; counts how many it holds at once. */
function heldHandler(): {
  handle: (m: JsMsg) => Promise<void>;
  release: () => void;
  readonly active: number;
  readonly maxActive: number;
  readonly done: number;
} {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const state = { active: 0, maxActive: 0, done: 0 };
  return {
    handle: async (m) => {
      state.active++;
      state.maxActive = Math.max(state.maxActive, state.active);
      await gate;
      await m.ackAck();
      state.active--;
      state.done++;
    },
    release,
    get active() {
      return state.active;
    },
    get maxActive() {
      return state.maxActive;
    },
    get done() {
      return state.done;
    },
  };
}

describe('startPullWorker', () => {
  it('handles at most `concurrency` messages at once, and tells the in-flight hooks', async () => {
    const queue = await freshQueue();
    await publish(queue, 12);
    const held = heldHandler();
    let gauge = 0;
    const { worker } = start(queue, held.handle, {
      concurrency: 3,
      batchSize: 10,
      onInFlight: {
        inc: () => {
          gauge++;
        },
        dec: () => {
          gauge--;
        },
      },
    });
    await waitFor('three messages held', () => held.active === 3);
    // Time for a fourth to be taken, were the bound not kept.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([held.active, worker.inFlight, gauge]).toEqual([3, 3, 3]);

    held.release();
    await waitFor('every message handled', () => held.done === 12);
    await waitFor('the in-flight count back to 0', () => worker.inFlight === 0 && gauge === 0);
    expect(held.maxActive).toBe(3);
    expect(await unsettled(queue)).toBe(0);
  });

  it('ends intake within pullExpiresMs when idle', async () => {
    const queue = await freshQueue();
    const { worker, lines } = start(queue, async (m) => m.ackAck(), { pullExpiresMs: 1_000 });
    // Let the first pull request go out and wait on the empty stream.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const began = performance.now();
    await worker.stopIntake();
    // Bounded by the open pull's expiry (1 s, so about 0.8 s from here), with room for a loaded machine:
    // the 5 s default, or intake that never ends, would not pass.
    expect(performance.now() - began).toBeLessThan(3_000);
    await worker.drained();
    const messages = lines().map((l) => l.msg);
    expect(messages).toEqual(
      expect.arrayContaining([
        'tester pulling',
        'tester intake stopping',
        'tester drained: every received message is settled',
      ]),
    );
    expect(lines().filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
  });

  it('asks for no batch while every slot is busy, stops on stopIntake, and drained() waits for what is in flight', async () => {
    const queue = await freshQueue();
    await publish(queue, 4);
    const held = heldHandler();
    const { worker } = start(queue, held.handle, { concurrency: 4, batchSize: 4, pullExpiresMs: 10_000 });
    await waitFor('four messages held', () => held.active === 4);

    // Every slot busy: no new pull request goes out, so these stay with the server for other replicas.
    await publish(queue, 3, 4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await jsm.consumers.info(queue.stream, DURABLE)).toMatchObject({
      num_ack_pending: 4,
      num_pending: 3,
    });

    // No pull is open (the last one ended with its batch), so intake ends at once: far sooner than
    // an open pull's 10 s expiry, with room for a loaded machine.
    const began = performance.now();
    await worker.stopIntake();
    expect(performance.now() - began).toBeLessThan(3_000);
    expect(worker.inFlight).toBe(4);

    let drained = false;
    const draining = worker.drained().then(() => {
      drained = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(drained).toBe(false);

    held.release();
    await draining;
    expect(held.done).toBe(4);
    expect(worker.inFlight).toBe(0);
    // The four were acked; the three published after stopIntake were never taken.
    expect(await unsettled(queue)).toBe(3);
    expect((await jsm.consumers.info(queue.stream, DURABLE)).num_ack_pending).toBe(0);
  });

  it('pulls again once its consumer is deleted and created again', async () => {
    const queue = await freshQueue();
    const seen: string[] = [];
    const { lines } = start(queue, async (m) => {
      seen.push(m.string());
      await m.ackAck();
    });
    await publish(queue, 1, 0);
    await waitFor('the first message', () => seen.length === 1);

    await jsm.consumers.delete(queue.stream, DURABLE);
    await waitFor(
      'a failed pull logged',
      () => lines().some((l) => l.msg === 'tester pull failed; pulling again shortly'),
      5_000,
    );
    await addDurable(queue.stream);
    await publish(queue, 1, 1);
    await waitFor('the message after the consumer came back', () => seen.length === 2);
    expect(seen).toEqual(['0', '1']);
    const failure = lines().find((l) => l.msg === 'tester pull failed; pulling again shortly');
    expect(failure).toMatchObject({ level: 'error', stream: queue.stream, consumer: DURABLE, delay_ms: 100 });
  });

  it('logs a handler that rejects (a bug) and goes on with the next message', async () => {
    const queue = await freshQueue();
    const seen: string[] = [];
    const { worker, lines } = start(queue, async (m) => {
      if (m.string() === '0') throw new Error('handler bug');
      seen.push(m.string());
      await m.ackAck();
    });
    await publish(queue, 2);
    await waitFor('the second message', () => seen.length === 1);
    await waitFor('nothing in flight', () => worker.inFlight === 0);
    const failure = lines().find((l) => l.msg === 'tester handler failed unexpectedly');
    expect(failure).toMatchObject({ level: 'error', stream_seq: 1 });
    // Left unacked: it comes back after ack_wait.
    expect((await jsm.consumers.info(queue.stream, DURABLE)).num_ack_pending).toBe(1);
  });
});

describe('endedUnannounced', () => {
  it('recognises only the missed-heartbeats end of a pull', () => {
    expect(endedUnannounced(new JetStreamError('heartbeats missed'))).toBe(true);
    expect(endedUnannounced(new JetStreamError('consumer deleted'))).toBe(false);
    expect(endedUnannounced(new Error('heartbeats missed'))).toBe(false);
  });
});
