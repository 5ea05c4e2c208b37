/**
 * Idempotence and retries against a real NATS: a submit handled up to its
 * publish but never acked (a crash) is redelivered and routed once in total;
 * a failed publish is nak'ed and routed later, once.
 */
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { AckPolicy, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { ConsumerName, StreamName, connectNats, ensureTopology, submitSubject } from '@smsgw/nats';
import { RoutedMessageSchema, SubmitAcceptedSchema } from '@smsgw/proto';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleSubmit, type SubmitHandlerDeps } from './handle-submit.ts';
import type { RouterMetrics } from './metrics.ts';
import { DEFAULT_ROUTING_RULES } from './route-plan.ts';
import { captureLogger, makeSubmit, testMetrics, waitFor, type LogLine } from './router.test-support.ts';
import { startRouterWorker, type RouterWorker } from './router-worker.ts';

const READER = 'test-route-reader';
const ACK_WAIT_MS = 1_000;
let server: NatsServerHandle;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let deps: SubmitHandlerDeps;
let metrics: RouterMetrics;
let logLines: () => LogLine[];
let worker: RouterWorker | undefined;
/** Calls to fail on purpose, by method: the next `n` route publishes reject. */
const failNext = { publish: 0 };

/** A view of `target` whose `method` rejects while failNext[counter] > 0. */
function flaky<T extends object>(target: T, method: string, counter: keyof typeof failNext): T {
  return new Proxy(target, {
    get(t, property) {
      const value: unknown = Reflect.get(t, property, t);
      if (property === method && failNext[counter] > 0) {
        return () => {
          failNext[counter]--;
          return Promise.reject(new Error(`injected ${method} failure`));
        };
      }
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(t) : value;
    },
  });
}

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({
    ...server.connectOptions,
    name: 'router-redelivery-test',
    waitOnFirstConnect: false,
  });
  const topology = await ensureTopology(nc, { owner: 'all', router: { ackWaitMs: ACK_WAIT_MS } });
  ({ js, jsm } = topology);
  await jsm.consumers.add(StreamName.route, { durable_name: READER, ack_policy: AckPolicy.Explicit });
  const captured = captureLogger();
  logLines = captured.lines;
  metrics = testMetrics();
  deps = {
    js: flaky(js, 'publish', 'publish'),
    accounts: { get: () => DEFAULT_ROUTING_RULES },
    logger: captured.logger,
    metrics,
    retry: { minMs: 200, maxMs: 200 },
  };
});

afterAll(async () => {
  await worker?.stopIntake();
  await worker?.drained();
  await nc.close();
  await server.stop();
});

async function startWorker(): Promise<void> {
  worker ??= await startRouterWorker({ ...deps, batchSize: 10, concurrency: 2, pullExpiresMs: 1_000 });
}

async function publishSubmit(id: string): Promise<void> {
  await js.publish(submitSubject('acme'), toBinary(SubmitAcceptedSchema, makeSubmit(id)), { msgID: id });
}

async function streamMessages(stream: string): Promise<number> {
  return (await jsm.streams.info(stream)).state.messages;
}

async function submitsSettled(): Promise<void> {
  await waitFor(
    'SMS_SUBMIT to empty',
    async () =>
      (await streamMessages(StreamName.submit)) === 0 &&
      (await jsm.consumers.info(StreamName.submit, ConsumerName.router)).num_ack_pending === 0,
  );
}

/** Reads and removes every routed message; returns their message ids. */
async function takeRoutedIds(count: number): Promise<string[]> {
  const reader = await js.consumers.get(StreamName.route, READER);
  const ids: string[] = [];
  for await (const m of await reader.fetch({ max_messages: count, expires: 2_000 })) {
    ids.push(fromBinary(RoutedMessageSchema, m.data).submit?.messageId ?? '');
    await m.ackAck();
    if (ids.length === count) break;
  }
  return ids;
}

async function counter(metric: keyof RouterMetrics, labels: Record<string, string> = {}): Promise<number> {
  const { values } = await metrics[metric].get();
  const match = values.find((v) => {
    const have: Readonly<Record<string, string | number | undefined>> = v.labels;
    return Object.entries(labels).every(([k, l]) => have[k] === l);
  });
  return match?.value ?? 0;
}

describe('redelivery', () => {
  it('routes a submit once when a crash came between its publish and its ack', async () => {
    await publishSubmit('7001');
    const consumer = await js.consumers.get(StreamName.submit, ConsumerName.router);
    const first = await consumer.next({ expires: 2_000 });
    expect(first).not.toBeNull();
    // Everything but the ack, as if the process died right after the PubAck.
    const lostAck: JsMsg = Object.create(first, { ack: { value: () => undefined } }) as JsMsg;
    expect(await handleSubmit(lostAck, deps)).toBe('routed');
    expect(await streamMessages(StreamName.route)).toBe(1);

    // After ack_wait the submit comes back, to the worker this time.
    await startWorker();
    await submitsSettled();
    expect(await counter('redelivered')).toBe(1);
    expect(await counter('duplicates')).toBe(1);
    expect(await streamMessages(StreamName.route)).toBe(1);
    expect(await takeRoutedIds(1)).toEqual(['7001']);
  });
});

describe('retries', () => {
  it('naks with a delay when the publish fails, and routes the submit later, once', async () => {
    await startWorker();
    failNext.publish = 2;
    await publishSubmit('7003');
    await submitsSettled();
    expect(failNext.publish).toBe(0);
    expect(await counter('retried', { step: 'publish' })).toBe(2);
    expect(await streamMessages(StreamName.route)).toBe(1);
    expect(await takeRoutedIds(1)).toEqual(['7003']);
    const warnings = logLines().filter(
      (l) => l.msg === 'routing failed; nak with delay' && l['message_id'] === '7003',
    );
    expect(warnings.map((l) => [l.level, l['step'], l['delay_ms'], l['delivery_count']])).toEqual([
      ['warn', 'publish', 200, 1],
      ['warn', 'publish', 200, 2],
    ]);
  });
});
