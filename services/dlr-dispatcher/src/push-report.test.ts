import { create, toBinary } from '@bufbuild/protobuf';
import type { JsMsg } from '@nats-io/jetstream';
import { DeliverOutcome, DeliveryReportSchema } from '@smsgw/proto';
import { describe, expect, it } from 'vitest';
import { captureLogger, testMetrics } from './dispatcher.test-support.ts';
import type { EdgeLink, LinkOutcome } from './edge-link.ts';
import { pushReport, type DeliveryRouting, type PushDeps, type Route } from './push-report.ts';

/** What the fake message was told. */
interface Settled {
  acks: number;
  naks: (number | undefined)[];
  working: number;
}

/** A delivered report as the pump hands it over, on its `deliveryCount`-th delivery. */
function message(deliveryCount = 1): { m: JsMsg; settled: Settled } {
  const settled: Settled = { acks: 0, naks: [], working: 0 };
  const data = toBinary(
    DeliveryReportSchema,
    create(DeliveryReportSchema, { reportId: 'r1', systemId: 'acme', messageId: 'm1' }),
  );
  const m = {
    data,
    subject: 'sms.dlr.acme',
    seq: 1,
    headers: undefined,
    info: { deliveryCount },
    ack: () => {
      settled.acks++;
    },
    nak: (delay?: number) => {
      settled.naks.push(delay);
    },
    term: () => undefined,
    working: () => {
      settled.working++;
    },
  };
  return { m: m as unknown as JsMsg, settled };
}

const result = (outcome: DeliverOutcome): LinkOutcome => ({
  kind: 'result',
  outcome,
  commandStatus: 0,
  sessionId: 's',
});

/**
 * Routing over pods whose answers are scripted: `room` says how many acquire() calls find a pod (then
 * none until waitForRoom lets one through), `answers` are the outcomes in order.
 */
function routing(options: { room: number; roomComes: boolean; answers: LinkOutcome[] }) {
  let room = options.room;
  let id = 0n;
  const sentTo: string[] = [];
  const link = {
    deliver: (): Promise<LinkOutcome> =>
      Promise.resolve(options.answers.shift() ?? result(DeliverOutcome.DELIVERED)),
  } as unknown as EdgeLink;
  const r: DeliveryRouting & { sentTo: string[]; waits: number } = {
    sentTo,
    waits: 0,
    acquire(account, tried): Route | undefined {
      const address = ['a:1', 'b:1'].find((a) => !tried.has(a));
      if (room <= 0 || address === undefined) return undefined;
      room--;
      sentTo.push(address);
      return { pod: address, address, account, link, deliveryId: ++id };
    },
    release: () => undefined,
    waitForRoom: () => {
      r.waits++;
      if (options.roomComes) room++;
      return Promise.resolve(options.roomComes);
    },
  };
  return r;
}

function deps(routingOf: DeliveryRouting, roomWaitMs = 1_000): PushDeps {
  return {
    routing: routingOf,
    metrics: testMetrics(),
    logger: captureLogger().logger,
    maxAttempts: 2,
    retry: { minMs: 500, maxMs: 15_000 },
    roomWaitMs,
    tracing: false,
  };
}

describe('pushReport', () => {
  it('acks on DELIVERED, without a working() for an attempt that starts at once', async () => {
    const { m, settled } = message();
    expect(await pushReport(m, 'acme', deps(routing({ room: 1, roomComes: false, answers: [] })))).toBe(
      'delivered',
    );
    expect(settled).toEqual({ acks: 1, naks: [], working: 0 });
  });

  it('waits for room rather than nak a report no pod has room for', async () => {
    const { m, settled } = message();
    const r = routing({ room: 0, roomComes: true, answers: [] });
    expect(await pushReport(m, 'acme', deps(r))).toBe('delivered');
    expect(r.waits).toBe(1);
    expect(settled.acks).toBe(1);
  });

  it('sends again to a pod that answered NO_RECEIVER once it has room, not counting that as an attempt', async () => {
    const { m, settled } = message();
    const r = routing({
      room: 1,
      roomComes: true,
      answers: [result(DeliverOutcome.NO_RECEIVER), result(DeliverOutcome.NO_RECEIVER)],
    });
    expect(await pushReport(m, 'acme', deps(r))).toBe('delivered');
    // Three sends with maxAttempts 2: a full window is no failure.
    expect(r.sentTo).toEqual(['a:1', 'a:1', 'a:1']);
    expect(settled).toMatchObject({ acks: 1, naks: [] });
  });

  it('naks a report only capacity kept back with the shortest delay, whatever its delivery count', async () => {
    const { m, settled } = message(6);
    const r = routing({ room: 1, roomComes: false, answers: [result(DeliverOutcome.NO_RECEIVER)] });
    expect(await pushReport(m, 'acme', deps(r))).toBe('retry');
    expect(settled.naks).toEqual([500]);
  });

  it('backs off, doubling per delivery, after real failures', async () => {
    const { m, settled } = message(3);
    const r = routing({
      room: 2,
      roomComes: true,
      answers: [result(DeliverOutcome.REJECTED), { kind: 'failed', reason: 'timeout' }],
    });
    expect(await pushReport(m, 'acme', deps(r))).toBe('retry');
    expect(r.sentTo).toEqual(['a:1', 'b:1']);
    expect(r.waits).toBe(0);
    expect(settled.naks).toEqual([2_000]);
  });
});
