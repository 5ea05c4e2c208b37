/**
 * docs/architecture.md invariant 1, end to end: with the NATS server killed, submits are
 * answered ESME_RSYSERR or ESME_RMSGQFUL (never ESME_ROK) within the publish
 * timeout; once it is back, they succeed again; and every message id that got
 * ESME_ROK is in SMS_SUBMIT.
 */
import { CommandStatus, ResponseTimeoutError, type SmppSession } from '@smsgw/smpp';
import { afterAll, beforeAll, expect, it } from 'vitest';
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
let fx: EdgeFixture;
let session: SmppSession;

beforeAll(async () => {
  nats = await startNatsFixture();
  await nats.store.create(accountInput('acme', { maxSubmitsPerSecond: 100_000 }));
  fx = await startEdge(nats, { publishTimeoutMs: PUBLISH_TIMEOUT_MS });
  // A response later than the publish timeout plus slack fails the request (ResponseTimeoutError).
  session = await bindClient(fx.port, 'transmitter', 'acme', undefined, {
    windowSize: 20,
    responseTimeout: PUBLISH_TIMEOUT_MS + 4_000,
  });
});

afterAll(async () => {
  session.close();
  await fx.stop();
  await nats.stop();
});

const okIds: string[] = [];
const statuses = new Map<number, number>();

/** Sends `count` submits at once; records OK ids and every status. */
async function burst(count: number): Promise<number[]> {
  const responses = await Promise.all(
    Array.from({ length: count }, (_, i) => submit(session, { shortMessage: Buffer.from(`n${i}`) })),
  );
  for (const r of responses) {
    statuses.set(r.commandStatus, (statuses.get(r.commandStatus) ?? 0) + 1);
    if (r.commandStatus === CommandStatus.ESME_ROK) okIds.push(r.messageId);
  }
  return responses.map((r) => r.commandStatus);
}

it('never answers ESME_ROK for a submit JetStream did not store', async () => {
  expect((await burst(40)).every((s) => s === CommandStatus.ESME_ROK)).toBe(true);

  // Publishes in flight while the server dies: each is OK (stored) or an error, never lost silently.
  const during = burst(40);
  await nats.server.kill();
  const crossing = await during;
  expect(
    crossing.every(
      (s) =>
        s === CommandStatus.ESME_ROK || s === CommandStatus.ESME_RSYSERR || s === CommandStatus.ESME_RMSGQFUL,
    ),
  ).toBe(true);

  // Server down: all answered, none OK (a late answer would have failed the request with ResponseTimeoutError).
  const down = await burst(30).catch((error: unknown) => {
    if (error instanceof ResponseTimeoutError)
      throw new Error('a submit was not answered in time', { cause: error });
    throw error;
  });
  expect(down.every((s) => s === CommandStatus.ESME_RSYSERR || s === CommandStatus.ESME_RMSGQFUL)).toBe(true);

  await nats.server.restart();
  // Back: submits succeed again once the client has reconnected (bounded wait, no timing asserted).
  let recovered = false;
  for (let attempt = 0; attempt < 60 && !recovered; attempt++) {
    const [status] = await burst(1);
    recovered = status === CommandStatus.ESME_ROK;
    if (!recovered) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(recovered).toBe(true);
  expect((await burst(40)).every((s) => s === CommandStatus.ESME_ROK)).toBe(true);

  const stored = new Set((await storedSubmits(nats)).map((s) => s.message.messageId));
  const missing = okIds.filter((id) => !stored.has(id));
  expect(missing).toEqual([]);
  expect(okIds.length).toBeGreaterThanOrEqual(81);
});
