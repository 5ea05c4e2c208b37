import { create } from '@bufbuild/protobuf';
import { credentials, type Metadata } from '@grpc/grpc-js';
import {
  DeliverOutcome,
  DeliverRequestSchema,
  DeliveryReportSchema,
  EdgeDeliveryClient,
  MessageState,
  deliverBatchMetadata,
  readsDeliverBatches,
  type Credit,
  type DeliverResponse,
  type DeliverResult,
  type DeliveryReport,
} from '@smsgw/proto';
import { createMetrics } from '@smsgw/runtime';
import { CommandStatus, type DeliverSm, type SmppSession } from '@smsgw/smpp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryMetrics } from './delivery-metrics.ts';
import { DeliveryServer } from './delivery-server.ts';
import {
  TEST_PASSWORD,
  accountInput,
  bindClient,
  connectClient,
  startEdge,
  startNatsFixture,
  testLogger,
  type EdgeFixture,
  type NatsFixture,
} from '../edge.test-support.ts';

/** How a test client answers deliver_sm: a status, or never. */
type Answer = number | 'never';

let nats: NatsFixture;
let fx: EdgeFixture;
let server: DeliveryServer;
let client: EdgeDeliveryClient;
const open: SmppSession[] = [];

/** Binds a client that records every deliver_sm and answers it as told. */
async function receiver(
  systemId: string,
  type: 'receiver' | 'transceiver' | 'transmitter' = 'receiver',
  answer: Answer = CommandStatus.ESME_ROK,
): Promise<{ session: SmppSession; seen: DeliverSm[] }> {
  const session = await bindClient(fx.port, type, systemId);
  open.push(session);
  const seen: DeliverSm[] = [];
  session.on('request', (pdu) => {
    if (pdu.command !== 'deliver_sm') return;
    seen.push(pdu);
    if (answer === 'never') return;
    if (answer === CommandStatus.ESME_ROK) session.reply(pdu, answer);
    else session.reject(pdu, answer);
  });
  return { session, seen };
}

/** A report of `systemId` as the dispatcher builds it. */
function report(systemId: string, messageId: string): DeliveryReport {
  return create(DeliveryReportSchema, {
    reportId: `r-${messageId}`,
    systemId,
    messageId,
    source: { ton: 1, npi: 1, addr: '4512345678' },
    destination: { ton: 5, npi: 0, addr: 'smsgw' },
    esmClass: 0x04,
    dataCoding: 0,
    shortMessage: Buffer.from(`id:${messageId} sub:001 dlvrd:001 stat:DELIVRD err:000 text:hi`),
    receiptedMessageId: messageId,
    messageState: MessageState.DELIVERED,
    networkError: { type: 3, code: 0x107e },
    userMessageReference: Uint8Array.of(0x12, 0x34),
  });
}

/** Opens a Deliver stream, sends the requests and resolves with their results, by delivery id. */
async function deliver(reports: readonly DeliveryReport[]): Promise<Map<bigint, DeliverResult>> {
  const call = client.deliver();
  const results = new Map<bigint, DeliverResult>();
  const done = new Promise<void>((resolve, reject) => {
    call.on('data', (response: DeliverResponse) => {
      if (response.kind.case !== 'result') return;
      results.set(response.kind.value.deliveryId, response.kind.value);
      if (results.size === reports.length) resolve();
    });
    call.on('error', reject);
  });
  reports.forEach((r, i) =>
    call.write(create(DeliverRequestSchema, { deliveryId: BigInt(i + 1), report: r })),
  );
  await done;
  call.end();
  return results;
}

async function deliverOne(r: DeliveryReport): Promise<DeliverResult> {
  const result = (await deliver([r])).get(1n);
  if (result === undefined) throw new Error('no result');
  return result;
}

beforeAll(async () => {
  nats = await startNatsFixture();
  for (const id of ['acme', 'globex', 'lonely', 'silent', 'tx-only', 'picky', 'mixed', 'old33', 'long33']) {
    await nats.store.create(accountInput(id, { maxBinds: 10 }));
  }
  fx = await startEdge(nats);
  const m = createMetrics({ service: 'edge', defaultMetrics: false });
  server = new DeliveryServer({
    receivers: fx.edge,
    metrics: createDeliveryMetrics(m),
    logger: testLogger(),
    responseTimeoutMs: 400,
  });
  const port = await server.listen(0, '127.0.0.1');
  client = new EdgeDeliveryClient(`127.0.0.1:${String(port)}`, credentials.createInsecure());
});

afterEach(() => {
  for (const session of open.splice(0)) session.close();
});

afterAll(async () => {
  client.close();
  server.close();
  await fx.stop();
  await nats.stop();
});

describe('EdgeDelivery server', () => {
  it('delivers the exact deliver_sm and answers DELIVERED after deliver_sm_resp ESME_ROK', async () => {
    const rx = await receiver('acme');
    const result = await deliverOne(report('acme', 'M1'));
    expect(result.outcome).toBe(DeliverOutcome.DELIVERED);
    expect(result.commandStatus).toBe(0);
    expect(result.sessionId).not.toBe('');
    expect(rx.seen).toHaveLength(1);
    const pdu = rx.seen[0];
    expect(pdu).toMatchObject({
      sourceAddrTon: 1,
      sourceAddrNpi: 1,
      sourceAddr: '4512345678',
      destAddrTon: 5,
      destAddrNpi: 0,
      destinationAddr: 'smsgw',
      esmClass: 0x04,
      dataCoding: 0,
      tlvs: {
        receiptedMessageId: 'M1',
        messageState: 2,
        networkErrorCode: { networkType: 3, errorCode: 0x107e },
        userMessageReference: 0x1234,
      },
    });
    expect(Buffer.from(pdu?.shortMessage ?? []).toString()).toBe(
      'id:M1 sub:001 dlvrd:001 stat:DELIVRD err:000 text:hi',
    );
  });

  it('SMPP 3.3: a bind below 0x34 gets no sc_interface_version, and its deliver_sm carry the receipt text without TLVs', async () => {
    const session = await connectClient(fx.port);
    open.push(session);
    const resp = await session.bind('receiver', {
      systemId: 'old33',
      password: TEST_PASSWORD,
      interfaceVersion: 0x33,
    });
    expect(resp.tlvs).toEqual({});
    const seen: DeliverSm[] = [];
    session.on('request', (pdu) => {
      if (pdu.command !== 'deliver_sm') return;
      seen.push(pdu);
      session.reply(pdu, CommandStatus.ESME_ROK);
    });
    expect((await deliverOne(report('old33', 'V33'))).outcome).toBe(DeliverOutcome.DELIVERED);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.tlvs).toEqual({});
    expect(Buffer.from(seen[0]?.shortMessage ?? []).toString()).toBe(
      'id:V33 sub:001 dlvrd:001 stat:DELIVRD err:000 text:hi',
    );
  });

  it('SMPP 3.3: an MO too long for short_message never goes to a 3.3 session; a 3.4 one gets it in message_payload', async () => {
    const old = await connectClient(fx.port);
    open.push(old);
    await old.bind('receiver', { systemId: 'long33', password: TEST_PASSWORD, interfaceVersion: 0x33 });
    const seenByOld: DeliverSm[] = [];
    old.on('request', (pdu) => {
      if (pdu.command !== 'deliver_sm') return;
      seenByOld.push(pdu);
      old.reply(pdu, CommandStatus.ESME_ROK);
    });
    const text = Buffer.from('x'.repeat(300));
    const mo = create(DeliveryReportSchema, {
      reportId: 'r-LONG',
      systemId: 'long33',
      messageId: 'LONG',
      source: { ton: 1, npi: 1, addr: '4512345678' },
      destination: { ton: 0, npi: 0, addr: '1234' },
      esmClass: 0,
      dataCoding: 4,
      shortMessage: text,
    });
    // Only a 3.3 session: it waits (NO_RECEIVER keeps it in the backlog), and the session gets nothing.
    expect((await deliverOne(mo)).outcome).toBe(DeliverOutcome.NO_RECEIVER);
    expect(seenByOld).toHaveLength(0);
    // A short report still goes to the 3.3 session.
    expect((await deliverOne(report('long33', 'SHORT'))).outcome).toBe(DeliverOutcome.DELIVERED);
    expect(seenByOld).toHaveLength(1);

    const rx = await receiver('long33');
    expect((await deliverOne(mo)).outcome).toBe(DeliverOutcome.DELIVERED);
    expect(rx.seen).toHaveLength(1);
    expect(rx.seen[0]?.shortMessage).toHaveLength(0);
    expect(Buffer.from(rx.seen[0]?.tlvs.messagePayload ?? []).equals(text)).toBe(true);
    expect(seenByOld).toHaveLength(1);
  });

  it('SMPP 3.4 and later: the bind_resp carries sc_interface_version 0x34', async () => {
    for (const interfaceVersion of [0x34, 0x50]) {
      const session = await connectClient(fx.port);
      open.push(session);
      const resp = await session.bind('transmitter', {
        systemId: 'acme',
        password: TEST_PASSWORD,
        interfaceVersion,
      });
      expect(resp.tlvs).toEqual({ scInterfaceVersion: 0x34 });
    }
  });

  it('answers REJECTED with the status of an error deliver_sm_resp', async () => {
    await receiver('picky', 'receiver', CommandStatus.ESME_RX_T_APPN);
    const result = await deliverOne(report('picky', 'M2'));
    expect(result.outcome).toBe(DeliverOutcome.REJECTED);
    expect(result.commandStatus).toBe(CommandStatus.ESME_RX_T_APPN);
  });

  it('answers TIMEOUT when the client never answers', async () => {
    const rx = await receiver('silent', 'transceiver', 'never');
    const result = await deliverOne(report('silent', 'M3'));
    expect(result.outcome).toBe(DeliverOutcome.TIMEOUT);
    expect(rx.seen).toHaveLength(1);
  });

  it('stops at a stalled client window: the rest get NO_RECEIVER, not queued', async () => {
    const rx = await receiver('silent', 'receiver', 'never');
    const results = await deliver(Array.from({ length: 11 }, (_, i) => report('silent', `W${String(i)}`)));
    const outcomes = [...results.values()].map((r) => r.outcome);
    expect(outcomes.filter((o) => o === DeliverOutcome.TIMEOUT)).toHaveLength(10);
    expect(outcomes.filter((o) => o === DeliverOutcome.NO_RECEIVER)).toHaveLength(1);
    expect(rx.seen).toHaveLength(10);
  });

  it('answers NO_RECEIVER when the account has no receiver bound here', async () => {
    expect((await deliverOne(report('lonely', 'M4'))).outcome).toBe(DeliverOutcome.NO_RECEIVER);
  });

  it('never chooses a transmitter-only bind', async () => {
    const tx = await receiver('tx-only', 'transmitter');
    expect((await deliverOne(report('tx-only', 'M5'))).outcome).toBe(DeliverOutcome.NO_RECEIVER);
    expect(tx.seen).toHaveLength(0);

    const txMixed = await receiver('mixed', 'transmitter');
    const rxMixed = await receiver('mixed', 'receiver');
    const results = await deliver(Array.from({ length: 20 }, (_, i) => report('mixed', `X${String(i)}`)));
    expect([...results.values()].every((r) => r.outcome === DeliverOutcome.DELIVERED)).toBe(true);
    expect(txMixed.seen).toHaveLength(0);
    expect(rxMixed.seen).toHaveLength(20);
  });

  it('delivers only to the sessions of the report account (two accounts on one pod)', async () => {
    const acme = await receiver('acme');
    const globex = await receiver('globex', 'transceiver');
    const reports = Array.from({ length: 30 }, (_, i) =>
      report(i % 3 === 0 ? 'globex' : 'acme', `I${String(i)}`),
    );
    const results = await deliver(reports);
    expect([...results.values()].every((r) => r.outcome === DeliverOutcome.DELIVERED)).toBe(true);
    expect(acme.seen.map((p) => p.tlvs.receiptedMessageId).sort()).toEqual(
      reports
        .filter((r) => r.systemId === 'acme')
        .map((r) => r.messageId)
        .sort(),
    );
    expect(globex.seen.map((p) => p.tlvs.receiptedMessageId).sort()).toEqual(
      reports
        .filter((r) => r.systemId === 'globex')
        .map((r) => r.messageId)
        .sort(),
    );
  });

  it('follows each result with a Credit: the free window of the account on this pod', async () => {
    await receiver('acme');
    await receiver('acme', 'transceiver');
    const stalled = await receiver('silent', 'receiver', 'never');
    const call = client.deliver();
    const credits: { systemId: string; freeWindow: number; lastDeliveryId: bigint }[] = [];
    const kinds: string[] = [];
    call.on('data', (response: DeliverResponse) => {
      kinds.push(response.kind.case ?? 'none');
      const { kind } = response;
      if (kind.case === 'credit') {
        const { systemId, freeWindow, lastDeliveryId } = kind.value;
        credits.push({ systemId, freeWindow, lastDeliveryId });
      }
    });
    const errors: Error[] = [];
    call.on('error', (error: Error) => errors.push(error));
    call.write(create(DeliverRequestSchema, { deliveryId: 1n, report: report('acme', 'C1') }));
    await expect.poll(() => credits.length).toBe(1);
    // Two receivers with the default window of 10, both idle again once C1 was answered.
    // It names the last request received: the dispatcher counts later ones as still on their way.
    expect(credits[0]).toEqual({ systemId: 'acme', freeWindow: 20, lastDeliveryId: 1n });
    expect(kinds).toEqual(['result', 'credit']);
    // A receiver that never answers: its window fills, and the NO_RECEIVER result says it has no credit.
    for (let i = 0; i < 10; i++) {
      call.write(
        create(DeliverRequestSchema, {
          deliveryId: BigInt(10 + i),
          report: report('silent', `C${String(i)}`),
        }),
      );
    }
    await expect.poll(() => stalled.seen.length).toBe(10);
    call.write(create(DeliverRequestSchema, { deliveryId: 99n, report: report('silent', 'C99') }));
    await expect.poll(() => credits.length).toBe(2);
    expect(credits[1]).toEqual({ systemId: 'silent', freeWindow: 0, lastDeliveryId: 99n });
    // The ten stalled deliveries time out (400 ms): every result is followed by its credit.
    await expect.poll(() => kinds.length).toBe(24);
    const ended = new Promise((resolve) => call.on('status', resolve));
    call.end();
    await ended;
    expect(errors).toEqual([]);
  });
});

describe('EdgeDelivery batches', () => {
  it('reads a batch of requests and answers a dispatcher that reads batches with DeliverBatch messages only', async () => {
    const { seen } = await receiver('acme');
    const call = client.deliver(deliverBatchMetadata());
    const announced = new Promise<boolean>((resolve) =>
      call.on('metadata', (md: Metadata) => {
        resolve(readsDeliverBatches(md));
      }),
    );
    const kinds: string[] = [];
    const results = new Map<bigint, DeliverResult>();
    const credits: Credit[] = [];
    call.on('data', (response: DeliverResponse) => {
      kinds.push(response.kind.case ?? 'none');
      if (response.kind.case !== 'batch') return;
      for (const r of response.kind.value.results) results.set(r.deliveryId, r);
      credits.push(...response.kind.value.credits);
    });
    expect(await announced).toBe(true);
    const batch = ['B1', 'B2', 'B3'].map((id, i) =>
      create(DeliverRequestSchema, { deliveryId: BigInt(i + 1), report: report('acme', id) }),
    );
    call.write(create(DeliverRequestSchema, { batch }));
    await expect.poll(() => results.size).toBe(3);
    expect([...results.values()].map((r) => r.outcome)).toEqual([
      DeliverOutcome.DELIVERED,
      DeliverOutcome.DELIVERED,
      DeliverOutcome.DELIVERED,
    ]);
    expect(seen.map((pdu) => pdu.tlvs.receiptedMessageId)).toEqual(['B1', 'B2', 'B3']);
    expect(new Set(kinds)).toEqual(new Set(['batch']));
    // One credit per account and batch, naming the last request received; the window is free again.
    const last = credits.at(-1);
    expect(credits.every((c) => c.systemId === 'acme')).toBe(true);
    expect(last?.freeWindow).toBe(10);
    expect(last?.lastDeliveryId).toBe(3n);
    const ended = new Promise((resolve) => call.on('status', resolve));
    call.end();
    await ended;
  });

  it('announces batches to a dispatcher that did not, and answers it one result and credit at a time', async () => {
    await receiver('acme');
    const call = client.deliver();
    const announced = new Promise<boolean>((resolve) =>
      call.on('metadata', (md: Metadata) => {
        resolve(readsDeliverBatches(md));
      }),
    );
    const kinds: string[] = [];
    call.on('data', (response: DeliverResponse) => kinds.push(response.kind.case ?? 'none'));
    expect(await announced).toBe(true);
    call.write(create(DeliverRequestSchema, { deliveryId: 1n, report: report('acme', 'L1') }));
    call.write(create(DeliverRequestSchema, { deliveryId: 2n, report: report('acme', 'L2') }));
    await expect.poll(() => kinds.length).toBe(4);
    expect(kinds).toEqual(['result', 'credit', 'result', 'credit']);
    const ended = new Promise((resolve) => call.on('status', resolve));
    call.end();
    await ended;
  });
});

describe('EdgeDelivery shutdown', () => {
  it('answers outstanding deliveries on drain, SHUTTING_DOWN for new ones, then stops', async () => {
    const m = createMetrics({ service: 'edge', defaultMetrics: false });
    const own = new DeliveryServer({
      receivers: fx.edge,
      metrics: createDeliveryMetrics(m),
      logger: testLogger(),
      responseTimeoutMs: 2_000,
      closeTimeoutMs: 500,
    });
    const port = await own.listen(0, '127.0.0.1');
    const ownClient = new EdgeDeliveryClient(`127.0.0.1:${String(port)}`, credentials.createInsecure());
    const session = await bindClient(fx.port, 'receiver', 'acme');
    open.push(session);
    let held: DeliverSm | undefined;
    session.on('request', (pdu) => {
      if (pdu.command === 'deliver_sm') held = pdu;
    });
    const call = ownClient.deliver();
    const results: DeliverResult[] = [];
    const ended = new Promise<void>((resolve) => {
      call.on('data', (response: DeliverResponse) => {
        if (response.kind.case === 'result') results.push(response.kind.value);
      });
      call.on('status', () => {
        resolve();
      });
      call.on('error', () => undefined);
    });
    call.write(create(DeliverRequestSchema, { deliveryId: 1n, report: report('acme', 'S1') }));
    await expect.poll(() => held).toBeDefined();
    own.stopIntake();
    call.write(create(DeliverRequestSchema, { deliveryId: 2n, report: report('acme', 'S2') }));
    await expect.poll(() => results.length).toBe(1);
    expect(results[0]).toMatchObject({ deliveryId: 2n, outcome: DeliverOutcome.SHUTTING_DOWN });
    const drained = own.drain();
    expect(own.deliveriesInFlight).toBe(1);
    if (held !== undefined) session.reply(held, CommandStatus.ESME_ROK);
    await drained;
    await ended;
    expect(results[1]).toMatchObject({ deliveryId: 1n, outcome: DeliverOutcome.DELIVERED });
    ownClient.close();
  });
});
