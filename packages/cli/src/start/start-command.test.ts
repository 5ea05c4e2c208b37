import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { AccountStore, verifyPassword } from '@smsgw/accounts';
import { connectNats } from '@smsgw/nats';
import { connectSmpp } from '@smsgw/smpp';
import { startNatsServer, type NatsServerHandle, getFreePort } from '@smsgw/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../cli-error.ts';
import { captureIo } from '../cli-io.test-support.ts';
import { spawnCli, type CliProcess } from '../cli-process.test-support.ts';
import { REPO_ROOT } from './discover-services.ts';
import { runStart } from './run-start.ts';

const HAS_EDGE = existsSync(join(REPO_ROOT, 'services/edge/src/main.ts'));

let server: NatsServerHandle;
let nc: NatsConnection;
let cli: CliProcess | undefined;
/** Service pids the launcher reported, killed in afterAll should the test fail halfway. */
let pids: number[] = [];

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

/** Listens on 127.0.0.1:`port`, as another program holding the port would (reading and dropping what comes). */
async function occupy(port: number): Promise<net.Server> {
  // Reading lets each socket see its peer's end, so that close() is not held up by them.
  const s = net.createServer((socket) => socket.resume());
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(port, '127.0.0.1', resolve);
  });
  return s;
}

async function closeServer(s: net.Server): Promise<void> {
  await new Promise<void>((resolve) =>
    s.close(() => {
      resolve();
    }),
  );
}

/** The pids of the services the launcher reported starting. */
function startedPids(out: string): number[] {
  return [...out.matchAll(/started (\S+) \(pid (\d+)/g)].map((m) => Number(m[2]));
}

/**
 * A checkout of one's own for runStart's `root`: services/<name>/src/main.ts
 * per entry, and @smsgw/telemetry linked in, since every service is started
 * with its preload.
 */
async function fixtureCheckout(services: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'smsgw-start-fixture-'));
  await writeFile(join(root, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  await mkdir(join(root, 'node_modules', '@smsgw'), { recursive: true });
  await symlink(join(REPO_ROOT, 'packages', 'telemetry'), join(root, 'node_modules', '@smsgw', 'telemetry'));
  for (const [name, main] of Object.entries(services)) {
    await mkdir(join(root, 'services', name, 'src'), { recursive: true });
    await writeFile(join(root, 'services', name, 'src', 'main.ts'), main);
  }
  return root;
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
    const smppPort = await getFreePort();
    const tlsPort = await getFreePort();
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
        // Not ready in time now fails the start: generous, for a loaded machine.
        '--ready-timeout',
        '90s',
        '--stop-grace',
        '15s',
      ],
      { ...process.env, NATS_URL: server.url, LOG_LEVEL: 'warn', CONNECTOR_SIM_DELAY: '0' },
    );
    await cli.waitFor('Ctrl-C stops everything.', 100_000);
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
  }, 150_000);

  it('fails fast when a service exits before it is ready: names it and the port in use, stops the others, no banner, exit 1', async () => {
    const adminBase = await freeRange();
    // The first service's admin port, held by another program (a real listening socket).
    const blocker = await occupy(adminBase + 1);
    try {
      cli = spawnCli(
        [
          'start',
          '--smpp-port',
          String(await getFreePort()),
          '--no-tls',
          '--admin-port-base',
          String(adminBase),
          '--grpc-port',
          String(adminBase + 8),
          '--no-pretty',
          // Far beyond the test's own timeout: only failing fast can pass.
          '--ready-timeout',
          '10m',
          '--stop-grace',
          '15s',
        ],
        { ...process.env, NATS_URL: server.url, LOG_LEVEL: 'warn' },
      );
      const code = await cli.exited;
      const out = cli.stdout();
      pids = startedPids(out);
      const blocked = new RegExp(
        `started (\\S+) \\(pid \\d+, admin http://127\\.0\\.0\\.1:${adminBase + 1}\\)`,
      ).exec(out)?.[1];
      expect(blocked, out).toBeDefined();
      expect(code).toBe(1);
      expect(cli.stderr()).toContain(
        `smsgw: ${blocked!} exited before it was ready (code 1): port ${adminBase + 1} is in use`,
      );
      expect(out).not.toContain('smsgw start: ready');
      expect(out).not.toContain('Ctrl-C stops everything.');
      expect(out).toContain('smsgw start: bye');
      expect(pids.length).toBeGreaterThan(1);
      expect(pids.filter(isAlive)).toEqual([]);
    } finally {
      await closeServer(blocker);
    }
  }, 90_000);

  it('gives up when a service is not ready within --ready-timeout: says what /readyz said, stops it, no banner, exit 1', async () => {
    // A real process that runs but never serves /readyz.
    const root = await fixtureCheckout({ silent: 'setInterval(() => undefined, 60_000);\n' });
    try {
      const adminBase = await freeRange();
      const captured = captureIo('', { ...process.env, LOG_LEVEL: 'warn' });
      const failure: unknown = await runStart(
        {
          natsUrl: server.url,
          smppPort: await getFreePort(),
          tlsPort: await getFreePort(),
          tls: false,
          adminPortBase: adminBase,
          grpcPort: adminBase + 8,
          readyTimeoutMs: 2_000,
          stopGraceMs: 5_000,
          pretty: false,
          root,
        },
        captured.io,
        new AbortController().signal,
      ).catch((e: unknown) => e);
      const out = captured.stdout();
      const started = startedPids(out);
      expect(started).toHaveLength(1);
      expect(failure).toBeInstanceOf(CliError);
      expect((failure as CliError).exitCode).toBe(1);
      expect((failure as CliError).message).toBe(
        `not ready after 2000 ms: silent (no answer on http://127.0.0.1:${adminBase + 1}/readyz); stopped everything (see their output above)`,
      );
      expect(out).not.toContain('smsgw start: ready');
      expect(out).toContain('smsgw start: silent stopped (SIGTERM)');
      expect(started.filter(isAlive)).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 60_000);

  it('starts a service that dies after the banner again, with back-off, and says so', async () => {
    // A real process that serves /readyz on its admin port, as every service does.
    const root = await fixtureCheckout({
      standin: [
        "import http from 'node:http';",
        "http.createServer((_, res) => res.end('ok')).listen(Number(process.env.ADMIN_PORT), '127.0.0.1');",
        '',
      ].join('\n'),
    });
    const stop = new AbortController();
    try {
      const adminBase = await freeRange();
      const captured = captureIo('', { ...process.env, LOG_LEVEL: 'warn' });
      const running = runStart(
        {
          natsUrl: server.url,
          smppPort: await getFreePort(),
          tlsPort: await getFreePort(),
          tls: false,
          adminPortBase: adminBase,
          grpcPort: adminBase + 8,
          readyTimeoutMs: 30_000,
          stopGraceMs: 5_000,
          pretty: false,
          root,
          restartBackoff: { minMs: 200, maxMs: 400, resetAfterMs: 60_000 },
        },
        captured.io,
        stop.signal,
      );
      await expect.poll(() => captured.stdout(), { timeout: 30_000 }).toContain('smsgw start: ready');
      for (const restart of [1, 2]) {
        const [pid] = startedPids(captured.stdout()).slice(-1);
        if (pid === undefined) throw new Error('no pid');
        process.kill(pid, 'SIGKILL');
        await expect
          .poll(() => captured.stdout(), { timeout: 30_000 })
          .toContain(
            `standin exited on its own (SIGKILL): starting it again in ${String(200 * restart)} ms (restart ${String(restart)} in a row)`,
          );
        await expect
          .poll(() => captured.stdout().split('smsgw start: standin is ready again').length - 1, {
            timeout: 30_000,
          })
          .toBe(restart);
      }
      const pidsNow = startedPids(captured.stdout());
      expect(pidsNow.filter(isAlive)).toHaveLength(1);
      stop.abort();
      expect(await running).toBe(0);
      expect(pidsNow.filter(isAlive)).toEqual([]);
    } finally {
      stop.abort();
      await rm(root, { recursive: true, force: true });
    }
  }, 90_000);
});
