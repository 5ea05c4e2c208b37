/**
 * Graceful shutdown in-process (the order main.ts registers): intake closes
 * the listener and withdraws presence; drain answers every submit whose
 * PubAck is owed, then unbinds the sessions.
 */
import smpp from 'smpp';
import { presenceKey } from '@smsgw/nats';
import { CommandStatus } from '@smsgw/smpp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  TEST_PASSWORD,
  accountInput,
  bindClient,
  connectClient,
  startEdge,
  startNatsFixture,
  storedSubmits,
  submit,
  type EdgeFixture,
  type NatsFixture,
} from './edge.test-support.ts';

let nats: NatsFixture;
let fx: EdgeFixture;

beforeAll(async () => {
  nats = await startNatsFixture();
  await nats.store.create(accountInput('acme', { maxSubmitsPerSecond: 100_000 }));
  fx = await startEdge(nats);
});

afterAll(async () => {
  await fx.stop();
  await nats.stop();
});

it('answers in-flight submits, withdraws presence, unbinds sessions and refuses new connections', async () => {
  const tx = await bindClient(fx.port, 'transmitter', 'acme', undefined, { windowSize: 50 });
  const rx = await bindClient(fx.port, 'receiver', 'acme');
  await fx.presence.settled();
  expect((await nats.topology.kv.presence.get(presenceKey('acme', 'edge-test')))?.operation).toBe('PUT');

  const responses = Promise.all(Array.from({ length: 50 }, () => submit(tx)));
  // Let the submits reach the edge before shutdown starts.
  await new Promise((resolve) => setTimeout(resolve, 20));
  fx.edge.stopIntake();
  await fx.presence.withdrawAll();
  await fx.edge.drain();

  const answered = await responses;
  for (const r of answered) {
    expect([CommandStatus.ESME_ROK, CommandStatus.ESME_RSYSERR, CommandStatus.ESME_RMSGQFUL]).toContain(
      r.commandStatus,
    );
  }
  const stored = new Set((await storedSubmits(nats)).map((s) => s.message.messageId));
  for (const r of answered)
    if (r.commandStatus === CommandStatus.ESME_ROK) expect(stored.has(r.messageId)).toBe(true);

  expect((await tx.closed).code).toBe('peer-unbind');
  expect((await rx.closed).code).toBe('peer-unbind');
  const entry = await nats.topology.kv.presence.get(presenceKey('acme', 'edge-test'));
  expect(entry === null || entry.operation !== 'PUT').toBe(true);
  await expect(connectClient(fx.port)).rejects.toThrow(/ECONNREFUSED/);
  expect(fx.edge.publishesInFlight).toBe(0);
});

it('does not wait longer than drainUnbindTimeoutMs for a client that never answers unbind', async () => {
  const quick = await startEdge(nats, { drainUnbindTimeoutMs: 300 });
  // node-smpp answers nothing by itself: no unbind_resp will ever come.
  const client = smpp.connect({ url: `smpp://127.0.0.1:${quick.port}`, auto_enquire_link_period: 0 });
  client.on('error', () => undefined);
  try {
    await new Promise((resolve) => client.once('connect', resolve));
    const bound = await new Promise<smpp.PDU>((resolve) => {
      client.send(new smpp.PDU('bind_transceiver', { system_id: 'acme', password: TEST_PASSWORD }), resolve);
    });
    expect(bound.command_status).toBe(CommandStatus.ESME_ROK);
    const closed = new Promise((resolve) => client.once('close', resolve));
    // Without the bound, drain would wait the session's 30 s response timeout and this test would time out.
    await quick.edge.drain();
    await closed;
  } finally {
    client.destroy();
    await quick.stop();
  }
});

it('spreads the unbinds of its sessions over drainUnbindSpreadMs, serving each until its turn', async () => {
  const spread = await startEdge(nats, { drainUnbindSpreadMs: 900 });
  try {
    const sessions = await Promise.all([0, 1, 2].map(() => bindClient(spread.port, 'transceiver', 'acme')));
    const started = performance.now();
    const unbound = sessions.map((s) => s.closed.then(() => performance.now() - started));
    const drained = spread.edge.drain();
    // The last session is still served while the first is already unbound.
    await unbound[0];
    const last = sessions[2];
    if (last === undefined) throw new Error('no session');
    expect((await submit(last)).commandStatus).toBe(CommandStatus.ESME_ROK);
    await drained;
    const times = (await Promise.all(unbound)).sort((a, b) => a - b);
    // Slots at 0, 300 and 600 ms: timers never fire early, so the last bound is firm; the first, due at
    // once, only has to come well before the last slot (a loaded machine delays its round trip).
    expect(times[0]).toBeLessThan(550);
    expect(times[2]).toBeGreaterThanOrEqual(550);
  } finally {
    await spread.stop();
  }
});
