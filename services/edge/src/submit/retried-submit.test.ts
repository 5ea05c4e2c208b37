/**
 * Issue #14 item 4 against a real NATS server that hangs (SIGSTOP) and comes
 * back (SIGCONT), as a hung or overloaded server does: a submit answered
 * ESME_RMSGQFUL because its PubAck came too late is stored all the same once
 * the server reads its socket again. Its retry gets the first message id — at
 * once when the late PubAck came first, else by publishing the same
 * Nats-Msg-Id, which JetStream drops as a duplicate — and the message is
 * stored once. An identical submit after that success is a new message
 * (docs/architecture.md, "Retried submits").
 *
 * A killed server does not show the defect with nats.js 3: the publishes made
 * while it reconnects are dropped from its buffer at each dial, never stored.
 */
import type { JetStreamClient } from '@nats-io/jetstream';
import { CommandStatus, type SmppSession, type SubmitSmResp } from '@smsgw/smpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountInput,
  bindClient,
  startEdge,
  startNatsFixture,
  storedSubmits,
  submit,
  type EdgeFixture,
  type NatsFixture,
} from '../edge.test-support.ts';

const PUBLISH_TIMEOUT_MS = 1_000;

let nats: NatsFixture;

beforeAll(async () => {
  nats = await startNatsFixture();
  await nats.store.create(accountInput('acme', { maxSubmitsPerSecond: 100_000 }));
});

afterAll(async () => {
  await nats.stop();
});

/** An edge with a short publish timeout and a bound transmitter that waits long enough for any answer. */
async function edgeAndClient(js?: JetStreamClient): Promise<{ fx: EdgeFixture; session: SmppSession }> {
  const fx = await startEdge(nats, {
    publishTimeoutMs: PUBLISH_TIMEOUT_MS,
    ...(js === undefined ? {} : { js }),
  });
  const session = await bindClient(fx.port, 'transmitter', 'acme', undefined, {
    responseTimeout: PUBLISH_TIMEOUT_MS + 9_000,
  });
  return { fx, session };
}

/** A submit of `text`. */
function send(session: SmppSession, text: string): Promise<SubmitSmResp> {
  return submit(session, { shortMessage: Buffer.from(text), registeredDelivery: 1 });
}

/** Freezes the NATS server: its sockets stay open, nothing is read or answered. */
function hang(): void {
  const { pid } = nats.server;
  if (pid === undefined) throw new Error('the NATS server has no pid (container backend)');
  process.kill(pid, 'SIGSTOP');
}

/** Lets the frozen NATS server run again: it reads what was written meanwhile. */
function resume(): void {
  const { pid } = nats.server;
  if (pid !== undefined) process.kill(pid, 'SIGCONT');
}

/** A counter's value in the edge's registry (by label `outcome` when given). */
async function counter(fx: EdgeFixture, name: string, outcome?: string): Promise<number> {
  const metric = await fx.registry.getSingleMetric(name)?.get();
  const values = metric?.values ?? [];
  return outcome === undefined
    ? values.reduce((sum, v) => sum + v.value, 0)
    : (values.find((v) => v.labels['outcome'] === outcome)?.value ?? 0);
}

/** The message ids stored in SMS_SUBMIT for submits of `text`. */
async function storedIds(text: string): Promise<string[]> {
  return (await storedSubmits(nats))
    .filter((s) => Buffer.from(s.message.payload).toString() === text)
    .map((s) => s.message.messageId);
}

describe('a submit answered ESME_RMSGQFUL while its PubAck was late', () => {
  it('gets its first message id on retry and is stored once; an identical submit after that is a new message', async (ctx) => {
    // SIGSTOP needs the server's process: the binary backend (a container has no pid here).
    if (nats.server.pid === undefined) ctx.skip();
    const { fx, session } = await edgeAndClient();
    try {
      expect((await send(session, 'warm up')).commandStatus).toBe(CommandStatus.ESME_ROK);

      hang();
      let first: SubmitSmResp;
      let second: SubmitSmResp;
      try {
        // Hung: the publishes sit in the server's socket, their PubAcks cannot come in time.
        [first, second] = await Promise.all([send(session, 'otp 1111'), send(session, 'otp 2222')]);
        // A retry while still hung fails too, but goes out with the same Nats-Msg-Id.
        expect((await send(session, 'otp 2222')).commandStatus).toBe(CommandStatus.ESME_RMSGQFUL);
      } finally {
        resume();
      }
      expect(first.commandStatus).toBe(CommandStatus.ESME_RMSGQFUL);
      expect(second.commandStatus).toBe(CommandStatus.ESME_RMSGQFUL);
      expect(await counter(fx, 'edge_submit_retries_total', 'failed')).toBe(1);

      // Stored once the server ran again (the defect): three PubAcks came late, one a duplicate.
      await expect.poll(() => counter(fx, 'edge_late_pubacks_total'), { timeout: 30_000 }).toBe(3);
      expect(await storedIds('otp 1111')).toHaveLength(1);
      // Two attempts of 'otp 2222' reached JetStream with one Nats-Msg-Id: one was dropped.
      expect(await storedIds('otp 2222')).toHaveLength(1);

      // The client retries: ESME_ROK at once, with the id JetStream stored.
      const retried1 = await send(session, 'otp 1111');
      const retried2 = await send(session, 'otp 2222');
      expect(retried1.commandStatus).toBe(CommandStatus.ESME_ROK);
      expect(retried2.commandStatus).toBe(CommandStatus.ESME_ROK);
      expect(await storedIds('otp 1111')).toEqual([retried1.messageId]);
      expect(await storedIds('otp 2222')).toEqual([retried2.messageId]);
      expect(await counter(fx, 'edge_submit_retries_total', 'late_ack')).toBe(2);

      // Sent again on purpose after that success: a new message with a new id.
      const again = await send(session, 'otp 1111');
      expect(again.commandStatus).toBe(CommandStatus.ESME_ROK);
      expect(again.messageId).not.toBe(retried1.messageId);
      expect(await storedIds('otp 1111')).toEqual([retried1.messageId, again.messageId]);
    } finally {
      session.close();
      await fx.stop();
    }
  }, 90_000);

  it('is deduplicated by JetStream when the retry is published before any late PubAck is known', async (ctx) => {
    if (nats.server.pid === undefined) ctx.skip();
    // js.publish() (the fallback publisher) never sees a late PubAck: the retry must go out again.
    const { js } = nats.topology;
    const standIn = { publish: js.publish.bind(js) } as unknown as JetStreamClient;
    const { fx, session } = await edgeAndClient(standIn);
    try {
      expect((await send(session, 'warm up')).commandStatus).toBe(CommandStatus.ESME_ROK);
      hang();
      try {
        expect((await send(session, 'promo 50% off')).commandStatus).toBe(CommandStatus.ESME_RMSGQFUL);
      } finally {
        resume();
      }
      await expect.poll(() => storedIds('promo 50% off'), { timeout: 30_000 }).toHaveLength(1);

      const retried = await send(session, 'promo 50% off');
      expect(retried.commandStatus).toBe(CommandStatus.ESME_ROK);
      expect(await counter(fx, 'edge_submit_retries_total', 'deduplicated')).toBe(1);
      expect(await storedIds('promo 50% off')).toEqual([retried.messageId]);
      expect(await counter(fx, 'edge_late_pubacks_total')).toBe(0);
    } finally {
      session.close();
      await fx.stop();
    }
  }, 90_000);
});
