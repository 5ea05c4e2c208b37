import { existsSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { AccountStore, verifyPassword } from '@smsgw/accounts';
import { connectNats } from '@smsgw/nats';
import { connectSmpp } from '@smsgw/smpp';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli, type CliProcess } from '../cli-process.test-support.ts';
import { REPO_ROOT } from './discover-services.ts';

const HAS_EDGE = existsSync(join(REPO_ROOT, 'services/edge/src/main.ts'));

let server: NatsServerHandle;
let nc: NatsConnection;
let cli: CliProcess | undefined;
/** Service pids the launcher reported, killed in afterAll should the test fail halfway. */
let pids: number[] = [];

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) =>
    s.close(() => {
      resolve();
    }),
  );
  return port;
}

/** A base port whose next eight ports are all free (admin ports are base + 1, + 2, …). */
async function freeRange(): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const servers: net.Server[] = [];
    try {
      for (let p = base + 1; p <= base + 8; p++) {
        const s = net.createServer();
        await new Promise<void>((resolve, reject) => {
          s.once('error', reject);
          s.listen(p, '127.0.0.1', resolve);
        });
        servers.push(s);
      }
      return base;
    } catch (err) {
      if (attempt > 20) throw err;
    } finally {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) =>
              s.close(() => {
                resolve();
              }),
            ),
        ),
      );
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  server = await startNatsServer({ backend: 'binary' });
  nc = await connectNats({ ...server.connectOptions, name: 'cli-start-test' });
});

afterAll(async () => {
  if (cli !== undefined && cli.child.exitCode === null) cli.child.kill('SIGKILL');
  for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
  await nc.close();
  await server.stop();
});

describe('smsgw start', () => {
  it(`starts everything against NATS_URL, creates the demo account, ${HAS_EDGE ? 'accepts a bind on the SMPP port' : 'SKIPS the SMPP bind check (services/edge/src/main.ts does not exist yet)'}, and stops cleanly on SIGTERM`, async () => {
    const smppPort = await freePort();
    const tlsPort = await freePort();
    const adminBase = await freeRange();
    cli = spawnCli(
      [
        'start',
        '--smpp-port',
        String(smppPort),
        '--tls-port',
        String(tlsPort),
        '--admin-port-base',
        String(adminBase),
        '--grpc-port',
        String(adminBase + 8),
        '--no-pretty',
        '--ready-timeout',
        '40s',
        '--stop-grace',
        '15s',
      ],
      { ...process.env, NATS_URL: server.url, LOG_LEVEL: 'warn', SIM_DELAY_MS: '0' },
    );
    await cli.waitFor('Ctrl-C stops everything.', 60_000);
    const out = cli.stdout();
    expect(out).toContain(`NATS ${server.url}: topology in place, demo account created`);
    const password = /system_id demo, password (\S+)/.exec(out)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{8}$/);

    const demo = await (await AccountStore.open(nc)).get('demo');
    expect(demo).toBeDefined();
    expect(await verifyPassword(password!, demo!.passwordHash)).toBe(true);

    pids = [...out.matchAll(/started (\S+) \(pid (\d+)/g)].map((m) => Number(m[2]));
    expect(pids.length).toBeGreaterThan(0);
    expect(pids.every(isAlive)).toBe(true);

    if (HAS_EDGE) {
      expect(out).toContain(`./run smsgw send --port ${smppPort} --system-id demo --password '${password!}'`);
      const session = await connectSmpp({ host: '127.0.0.1', port: smppPort });
      const resp = await session.bind('transceiver', { systemId: 'demo', password: password! });
      expect(resp.commandStatus).toBe(0);
      await session.unbind();
    }

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toMatch(/smsgw start: bye/);
    expect(pids.filter(isAlive)).toEqual([]);
  }, 120_000);
});
