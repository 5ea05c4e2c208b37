import { AccountStore, verifyPassword } from '@smsgw/accounts';
import { connectNats, ensureTopology } from '@smsgw/nats';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../cli-io.test-support.ts';
import { runCli } from '../program.ts';

let server: NatsServerHandle;
let nc: NatsConnection;
let store: AccountStore;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({ ...server.connectOptions, name: 'cli-accounts-test' });
  store = new AccountStore((await ensureTopology(nc, { owner: 'all' })).kv.accounts);
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

/** Runs `smsgw <args> --nats-url <server>` with the given stdin. */
async function cli(args: string[], stdin = '') {
  const captured = captureIo(stdin);
  const code = await runCli([...args, '--nats-url', server.url], captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

describe('smsgw accounts', () => {
  it('add creates an account with the options given and a hash of the password', async () => {
    const r = await cli([
      'accounts',
      'add',
      '--system-id',
      'acme',
      '--password',
      'secret1',
      '--bind-types',
      'transmitter,transceiver',
      '--max-binds',
      '3',
      '--max-submits-per-second',
      '250',
      '--allowed-cidrs',
      '10.0.0.0/8,192.168.1.7',
      '--approved-priorities',
      '1,2',
      '--message-classes',
      'otp,bulk',
      '--tls-required',
    ]);
    expect(r).toMatchObject({ code: 0, stdout: 'created account acme\n', stderr: '' });
    const account = await store.get('acme');
    expect(account).toMatchObject({
      systemId: 'acme',
      bindTypes: ['transmitter', 'transceiver'],
      maxBinds: 3,
      maxSubmitsPerSecond: 250,
      allowedCidrs: ['10.0.0.0/8', '192.168.1.7'],
      approvedPriorities: [1, 2],
      messageClasses: ['otp', 'bulk'],
      tlsRequired: true,
    });
    expect(await verifyPassword('secret1', account!.passwordHash)).toBe(true);
  });

  it('add reads the password from stdin when --password is missing, and never prints it', async () => {
    const r = await cli(['accounts', 'add', '--system-id', 'piped', '--json'], 'pw-stdin\n');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('pw-stdin');
    expect(r.stdout).not.toContain('scrypt$');
    expect(JSON.parse(r.stdout)).toMatchObject({ systemId: 'piped', enabled: true });
    expect(await verifyPassword('pw-stdin', (await store.get('piped'))!.passwordHash)).toBe(true);
  });

  it('add refuses an existing system_id (exit 1) and bad values (exit 2)', async () => {
    const exists = await cli(['accounts', 'add', '--system-id', 'acme', '--password', 'x']);
    expect(exists.code).toBe(1);
    expect(exists.stderr).toMatch(/acme.*exists already/);

    const badCidr = await cli([
      'accounts',
      'add',
      '--system-id',
      'bad',
      '--password',
      'x',
      '--allowed-cidrs',
      'nope',
    ]);
    expect(badCidr.code).toBe(2);
    expect(badCidr.stderr).toMatch(/CIDR/);

    const longPassword = await cli(['accounts', 'add', '--system-id', 'bad', '--password', 'ninechars']);
    expect(longPassword.code).toBe(2);
    expect(longPassword.stderr).toMatch(/1\.\.8 characters/);

    const badPriority = await cli([
      'accounts',
      'add',
      '--system-id',
      'bad',
      '--password',
      'x',
      '--approved-priorities',
      '4',
    ]);
    expect(badPriority.code).toBe(2);
    expect(await store.get('bad')).toBeUndefined();
  });

  it('list prints a table or JSON, without hashes', async () => {
    const table = await cli(['accounts', 'list']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SYSTEM_ID\s+ENABLED\s+BIND_TYPES/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['acme', 'piped']);
    expect(table.stdout).not.toContain('scrypt');

    const json = await cli(['accounts', 'list', '--json']);
    const parsed = JSON.parse(json.stdout) as { systemId: string; passwordHash?: string }[];
    expect(parsed.map((a) => a.systemId)).toEqual(['acme', 'piped']);
    expect(parsed.every((a) => a.passwordHash === undefined)).toBe(true);
  });

  it('show prints one account, and exits 1 for an unknown one', async () => {
    const shown = await cli(['accounts', 'show', 'acme']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^systemId:\s+acme$/m);
    expect(shown.stdout).toMatch(/^maxBinds:\s+3$/m);
    expect(shown.stdout).not.toContain('passwordHash');

    const missing = await cli(['accounts', 'show', 'ghost']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no account with system_id "ghost"/);
  });

  it('update patches only what is given; --disable and --no-tls-required work', async () => {
    const r = await cli(['accounts', 'update', 'acme', '--max-binds', '7', '--no-tls-required', '--disable']);
    expect(r).toMatchObject({ code: 0, stdout: 'updated account acme\n' });
    expect(await store.get('acme')).toMatchObject({
      maxBinds: 7,
      tlsRequired: false,
      enabled: false,
      maxSubmitsPerSecond: 250,
      messageClasses: ['otp', 'bulk'],
    });
    expect((await cli(['accounts', 'update', 'acme'])).code).toBe(2);
    expect((await cli(['accounts', 'update', 'ghost', '--max-binds', '2'])).code).toBe(1);
  });

  it('set-password re-hashes', async () => {
    const before = (await store.get('acme'))!.passwordHash;
    const r = await cli(['accounts', 'set-password', 'acme', '--password', 'newpw']);
    expect(r).toMatchObject({ code: 0, stdout: 'password of acme changed\n' });
    const after = (await store.get('acme'))!.passwordHash;
    expect(after).not.toBe(before);
    expect(await verifyPassword('newpw', after)).toBe(true);
    expect((await cli(['accounts', 'set-password', 'ghost', '--password', 'x'])).code).toBe(1);
  });

  it('remove deletes, and exits 1 the second time', async () => {
    expect(await cli(['accounts', 'remove', 'piped'])).toMatchObject({
      code: 0,
      stdout: 'removed account piped\n',
    });
    expect(await store.get('piped')).toBeUndefined();
    const again = await cli(['accounts', 'remove', 'piped']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no account/);
  });

  it('reports an unreachable NATS clearly (exit 1)', async () => {
    const captured = captureIo();
    const code = await runCli(['accounts', 'list', '--nats-url', 'nats://127.0.0.1:1'], captured.io);
    expect(code).toBe(1);
    expect(captured.stderr()).toMatch(/cannot reach NATS at nats:\/\/127\.0\.0\.1:1/);
  });

  it('uses NATS_URL when --nats-url is not given', async () => {
    const captured = captureIo('', { NATS_URL: server.url });
    expect(await runCli(['accounts', 'show', 'acme', '--json'], captured.io)).toBe(0);
    expect(JSON.parse(captured.stdout())).toMatchObject({ systemId: 'acme' });
  });
});
