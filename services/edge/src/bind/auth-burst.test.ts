/**
 * Binds under a burst of wrong passwords (issue #14), with the default
 * scrypt parameters (N = 2^15): the burst runs scrypt only a few times
 * (concurrency per address, then back-off refusals without scrypt), another
 * customer's correct bind is answered ESME_ROK meanwhile, a reconnecting
 * correct client costs no scrypt (cache) even while its system_id is in
 * back-off, a password change ends the cached pair, and a back-off longer
 * than the bind timeout is answered ESME_RINVPASWD in time, then closed.
 */
import { hashPassword } from '@smsgw/accounts';
import { CommandStatus, createPdu } from '@smsgw/smpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_PASSWORD,
  accountInput,
  bindStatus,
  connectClient,
  startEdge,
  startNatsFixture,
  type EdgeFixture,
  type NatsFixture,
} from '../edge.test-support.ts';

let nats: NatsFixture;
let fx: EdgeFixture;

beforeAll(async () => {
  nats = await startNatsFixture();
  const realHash = await hashPassword(TEST_PASSWORD);
  await nats.store.create(accountInput('victim', { passwordHash: realHash }));
  await nats.store.create(accountInput('customer', { passwordHash: realHash }));
  await nats.store.create(accountInput('reconnects', { passwordHash: realHash }));
  await nats.store.create(accountInput('rotates'));
  fx = await startEdge(nats, {
    session: { bindTimeout: 10_000 },
    authBackoff: { baseMs: 500, maxMs: 30_000, windowMs: 900_000, maxEntries: 10_000 },
  });
});

afterAll(async () => {
  await fx.stop();
  await nats.stop();
});

async function passwordChecks(outcome: string): Promise<number> {
  const metric = await fx.registry.getSingleMetric('edge_password_checks_total')?.get();
  return metric?.values.find((v) => v.labels['outcome'] === outcome)?.value ?? 0;
}

describe('a burst of wrong-password binds', () => {
  it('runs scrypt a few times, answers all 200, and a correct bind from elsewhere is answered ESME_ROK meanwhile', async () => {
    // The yardstick: one correct bind (one scrypt) with nothing else going on.
    const alone = performance.now();
    expect(await bindStatus(fx.port, 'transmitter', 'victim')).toBe(CommandStatus.ESME_ROK);
    const aloneMs = performance.now() - alone;
    const scryptBefore = await passwordChecks('scrypt');
    const burst = Array.from({ length: 200 }, () =>
      bindStatus(fx.port, 'transmitter', 'victim', 'wrong', { localAddress: '127.0.0.2' }).catch(
        (error: unknown) => error,
      ),
    );
    const started = performance.now();
    const status = await bindStatus(fx.port, 'transmitter', 'customer', TEST_PASSWORD, {
      localAddress: '127.0.0.1',
    });
    const latencyMs = performance.now() - started;
    process.stdout.write(
      `correct bind during a 200-bind wrong-password burst: ${latencyMs.toFixed(0)} ms (alone: ${aloneMs.toFixed(0)} ms), scrypt runs: ${(await passwordChecks('scrypt')) - scryptBefore}\n`,
    );
    expect(status).toBe(CommandStatus.ESME_ROK);
    const answers = await Promise.all(burst);
    expect(
      answers.every((a) => a === CommandStatus.ESME_RINVPASWD || a === CommandStatus.ESME_RBINDFAIL),
    ).toBe(true);
    // One scrypt per bind would be 201; the per-address limit and back-off keep it to a handful.
    expect((await passwordChecks('scrypt')) - scryptBefore).toBeLessThanOrEqual(10);
  });
});

describe('the verified-pair cache', () => {
  it('binds a reconnecting client without scrypt, even while its system_id is in back-off', async () => {
    expect(await bindStatus(fx.port, 'transmitter', 'reconnects')).toBe(CommandStatus.ESME_ROK);
    expect(
      await bindStatus(fx.port, 'transmitter', 'reconnects', 'wrong', { localAddress: '127.0.0.5' }),
    ).toBe(CommandStatus.ESME_RINVPASWD);
    const scryptBefore = await passwordChecks('scrypt');
    const cacheBefore = await passwordChecks('cache');
    for (let i = 0; i < 20; i++) {
      expect(await bindStatus(fx.port, 'transmitter', 'reconnects')).toBe(CommandStatus.ESME_ROK);
    }
    expect(await passwordChecks('scrypt')).toBe(scryptBefore);
    expect(await passwordChecks('cache')).toBe(cacheBefore + 20);
  });

  it('forgets a pair once the password changes (the old one is refused, the new one binds)', async () => {
    expect(await bindStatus(fx.port, 'transmitter', 'rotates')).toBe(CommandStatus.ESME_ROK);
    const next = await hashPassword('other', { cost: 1024, blockSize: 8, parallelization: 1 });
    await nats.store.update('rotates', { passwordHash: next });
    while (fx.accounts.get('rotates')?.passwordHash !== next) await new Promise((r) => setTimeout(r, 20));
    expect(
      await bindStatus(fx.port, 'transmitter', 'rotates', TEST_PASSWORD, { localAddress: '127.0.0.6' }),
    ).toBe(CommandStatus.ESME_RINVPASWD);
    expect(await bindStatus(fx.port, 'transmitter', 'rotates', 'other', { localAddress: '127.0.0.7' })).toBe(
      CommandStatus.ESME_ROK,
    );
  });
});

describe('a back-off longer than the bind timeout', () => {
  it('is answered ESME_RINVPASWD before the bind timeout, then the connection is closed', async () => {
    const short = await startEdge(nats, {
      session: { bindTimeout: 1_000 },
      authBackoff: { baseMs: 5_000, maxMs: 30_000, windowMs: 60_000, maxEntries: 100 },
    });
    try {
      const session = await connectClient(short.port);
      const response = await session.request(
        createPdu('bind_transmitter', { systemId: 'rotates', password: 'nope' }),
      );
      expect(response.commandStatus).toBe(CommandStatus.ESME_RINVPASWD);
      // Ended by the edge after the answer (not by the bind timer, which would answer nothing).
      expect((await session.closed).code).toBe('peer-ended');
    } finally {
      await short.stop();
    }
  });
});
