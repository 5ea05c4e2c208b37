/**
 * Settling against a real nats-server: what each settle does to the message
 * (redelivered after the back-off, never again, gone) and what it logs,
 * including when the settle cannot be sent.
 */
import {
  AckPolicy,
  RetentionPolicy,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { captureLogger, startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from './connect.ts';
import {
  POISON_SAMPLE_BYTES,
  ackMessage,
  retryDelayMs,
  retryLater,
  terminatePoison,
  type RetryPolicy,
} from './settle.ts';

describe('retryDelayMs', () => {
  const policy: RetryPolicy = { minMs: 1_000, maxMs: 30_000 };

  it('doubles from the minimum per failure and stops at the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 100].map((n) => retryDelayMs(policy, n))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('treats a missing or nonsensical count as the first failure', () => {
    expect(retryDelayMs(policy, 0)).toBe(1_000);
    expect(retryDelayMs(policy, -5)).toBe(1_000);
  });

  it('always lies within [min, max] and never decreases with more failures', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 0, max: 60_000 }),
        fc.integer({ min: -10, max: 10_000 }),
        (minMs, extra, n) => {
          const p = { minMs, maxMs: minMs + extra };
          const d = retryDelayMs(p, n);
          expect(d).toBeGreaterThanOrEqual(p.minMs);
          expect(d).toBeLessThanOrEqual(p.maxMs);
          expect(retryDelayMs(p, n + 1)).toBeGreaterThanOrEqual(d);
        },
      ),
    );
  });
});

describe('settling a JetStream message', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let queues = 0;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats({ ...server.connectOptions, name: 'settle-test', waitOnFirstConnect: false });
    jsm = await jetstreamManager(nc);
    js = jsm.jetstream();
  });

  afterAll(async () => {
    await nc.close();
    await server.stop();
  });

  /** A WorkQueue stream of its own holding `body`, and its durable. */
  async function queueWith(body: Uint8Array): Promise<string> {
    const stream = `SETTLE_${String(++queues)}`;
    await jsm.streams.add({
      name: stream,
      subjects: [`settle${String(queues)}.>`],
      retention: RetentionPolicy.Workqueue,
    });
    await jsm.consumers.add(stream, { durable_name: 'c', ack_policy: AckPolicy.Explicit, ack_wait: 30e9 });
    await js.publish(`settle${String(queues)}.m`, body);
    return stream;
  }

  async function next(stream: string, expiresMs = 10_000): Promise<JsMsg | undefined> {
    const consumer = await js.consumers.get(stream, 'c');
    return (await consumer.next({ expires: expiresMs })) ?? undefined;
  }

  it('retryLater naks with the back-off of the delivery count, logs why, and the message comes back', async () => {
    const stream = await queueWith(new TextEncoder().encode('x'));
    const { logger, lines } = captureLogger();
    const settler = { logger, kind: 'submit' };
    const retry = { minMs: 100, maxMs: 150 };
    const first = await next(stream);
    expect(first?.info.deliveryCount).toBe(1);
    if (first === undefined) return;
    expect(retryLater(first, settler, retry, { step: 'publish' }, new Error('down'), 'failed; nak')).toBe(
      100,
    );
    const second = await next(stream);
    expect(second?.info.deliveryCount).toBe(2);
    if (second === undefined) return;
    expect(retryLater(second, settler, retry, { step: 'publish' }, new Error('down'), 'failed; nak')).toBe(
      150,
    );
    const warnings = lines().filter((line) => line.msg === 'failed; nak');
    expect(
      warnings.map((line) => [line.level, line['step'], line['delivery_count'], line['delay_ms']]),
    ).toEqual([
      ['warn', 'publish', 1, 100],
      ['warn', 'publish', 2, 150],
    ]);
    const third = await next(stream);
    expect(third?.info.deliveryCount).toBe(3);
    if (third !== undefined) expect(ackMessage(third, settler, {})).toBe(true);
  });

  it('terminatePoison logs where the message stood and its first bytes, and it is never delivered again', async () => {
    const body = new Uint8Array(POISON_SAMPLE_BYTES + 10).fill(7);
    const stream = await queueWith(body);
    const { logger, lines } = captureLogger();
    const m = await next(stream);
    expect(m).toBeDefined();
    if (m === undefined) return;
    terminatePoison(
      m,
      { logger, kind: 'submit' },
      { message_id: '42' },
      new Error('bad'),
      'poison: terminated',
    );
    const [line] = lines().filter((l) => l.msg === 'poison: terminated');
    expect(line).toMatchObject({
      level: 'error',
      message_id: '42',
      stream_seq: 1,
      delivery_count: 1,
      size: POISON_SAMPLE_BYTES + 10,
      data_base64: Buffer.from(body.subarray(0, POISON_SAMPLE_BYTES)).toString('base64'),
    });
    // Terminated: a WorkQueue drops it, and nothing is left to deliver.
    expect(await next(stream, 1_000)).toBeUndefined();
    const info = await jsm.consumers.info(stream, 'c');
    expect(info.num_ack_pending).toBe(0);
  });

  it('a settle that cannot be sent is logged, not thrown', () => {
    // nats.js 3 does not throw from ack() on a closed connection, so a stand-in whose ack throws reaches this path.
    const m = {
      ack: () => {
        throw new Error('connection closed');
      },
    } as unknown as JsMsg;
    const { logger, lines } = captureLogger();
    expect(ackMessage(m, { logger, kind: 'status event' }, { message_id: '7' })).toBe(false);
    expect(lines().find((l) => l.level === 'warn')).toMatchObject({
      message_id: '7',
      msg: 'could not ack the status event; it will be redelivered',
    });
  });
});
