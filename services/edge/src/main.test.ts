/**
 * The real process, `node src/main.ts`: starts against a NATS server, takes a
 * bind and a submit, turns ready, and on SIGTERM unbinds its sessions,
 * withdraws presence and exits 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { decodePresenceEntry, presenceKey } from '@smsgw/nats';
import { CommandStatus } from '@smsgw/smpp';
import { getFreePort } from '@smsgw/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  accountInput,
  bindClient,
  startNatsFixture,
  storedSubmits,
  submit,
  type NatsFixture,
} from './edge.test-support.ts';

let nats: NatsFixture;
let child: ChildProcess | undefined;
let output = '';

beforeAll(async () => {
  nats = await startNatsFixture();
  await nats.store.create(accountInput('acme'));
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await nats.stop();
});

it('serves SMPP and shuts down gracefully on SIGTERM', async () => {
  const [smppPort, adminPort, grpcPort] = [await getFreePort(), await getFreePort(), await getFreePort()];
  child = spawn(process.execPath, [fileURLToPath(new URL('./main.ts', import.meta.url))], {
    env: {
      ...process.env,
      NATS_URL: nats.server.url,
      EDGE_SMPP_HOST: '127.0.0.1',
      EDGE_SMPP_PORT: String(smppPort),
      ADMIN_HOST: '127.0.0.1',
      ADMIN_PORT: String(adminPort),
      EDGE_GRPC_PORT: String(grpcPort),
      POD_NAME: 'edge-proc',
      // Announced as <POD_IP>:<EDGE_GRPC_PORT>; receiving sessions get this deliver_sm window.
      POD_IP: '127.0.0.1',
      DELIVER_WINDOW: '7',
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE: '10s',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = child;
  const exited = once(proc, 'exit') as Promise<[number | null, string | null]>;
  proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  for (let i = 0; i < 200 && !output.includes('"edge started"'); i++) {
    if (proc.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(output).toContain('"edge started"');

  const session = await bindClient(smppPort, 'transceiver', 'acme');
  const response = await submit(session);
  expect(response.commandStatus).toBe(CommandStatus.ESME_ROK);
  expect((await storedSubmits(nats)).some((s) => s.message.messageId === response.messageId)).toBe(true);
  expect((await fetch(`http://127.0.0.1:${adminPort}/readyz`)).status).toBe(200);
  const metrics = await (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text();
  expect(metrics).toContain('edge_submits_total');
  // The transceiver's deliver_sm window is DELIVER_WINDOW.
  expect(metrics).toMatch(/^edge_session_window_slots\{[^}]*window="deliver"[^}]*\} 7$/m);
  const announced = await nats.topology.kv.presence.get(presenceKey('acme', 'edge-proc'));
  expect(announced?.operation).toBe('PUT');
  expect(decodePresenceEntry(announced!.key, announced!.value)?.grpcAddress).toBe(`127.0.0.1:${grpcPort}`);

  proc.kill('SIGTERM');
  expect((await session.closed).code).toBe('peer-unbind');
  const [code] = await exited;
  expect(code, output).toBe(0);
  const entry = await nats.topology.kv.presence.get(presenceKey('acme', 'edge-proc'));
  expect(entry === null || entry.operation !== 'PUT').toBe(true);
});
