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
    expect((await cli(['accounts', 'update', 'acme', '--max-validity', '90m'])).code).toBe(0);
    expect((await store.get('acme'))?.maxValiditySeconds).toBe(5_400);
    expect((await cli(['accounts', 'update', 'acme', '--max-validity', '31d'])).code).toBe(2);
    expect((await cli(['accounts', 'update', 'ghost', '--max-binds', '2'])).code).toBe(1);
  });

  it('update sets routes (merged by prefix, in failover order) and priority rules (replaced, in order)', async () => {
    const set = await cli([
      'accounts',
      'update',
      'acme',
      '--route',
      '45=upstream-dk,upstream-eu',
      '--route',
      '*=sim',
      '--priority-rule',
      'class=bulk:0',
      '--priority-rule',
      'class=otp,prefix=45:2',
    ]);
    expect(set).toMatchObject({ code: 0, stdout: 'updated account acme\n' });
    expect(await store.get('acme')).toMatchObject({
      routes: [
        { destinationPrefix: '45', connectors: ['upstream-dk', 'upstream-eu'] },
        { destinationPrefix: '', connectors: ['sim'] },
      ],
      priorityRules: [
        { match: { messageClass: 'bulk' }, priority: 0 },
        { match: { messageClass: 'otp', destinationPrefix: '45' }, priority: 2 },
      ],
      maxBinds: 7,
    });

    const merged = await cli(['accounts', 'update', 'acme', '--route', '+46=se', '--remove-route', '*']);
    expect(merged.code).toBe(0);
    expect((await store.get('acme'))?.routes).toEqual([
      { destinationPrefix: '45', connectors: ['upstream-dk', 'upstream-eu'] },
      { destinationPrefix: '46', connectors: ['se'] },
    ]);
    const shown = await cli(['accounts', 'show', 'acme']);
    expect(shown.stdout).toContain('"connectors":["upstream-dk","upstream-eu"]');

    expect((await cli(['accounts', 'update', 'acme', '--clear-routes', '--clear-priority-rules'])).code).toBe(
      0,
    );
    expect(await store.get('acme')).toMatchObject({ routes: [], priorityRules: [] });

    // Usage errors change nothing: a bad spec, a connector twice, a class the account does not send.
    for (const bad of [
      ['--route', '45'],
      ['--route', '45=a,a'],
      ['--route', 'x1=a'],
      ['--priority-rule', 'class=bulk'],
      ['--priority-rule', 'colour=red:1'],
    ]) {
      expect((await cli(['accounts', 'update', 'acme', ...bad])).code).toBe(2);
    }
    const unknownClass = await cli(['accounts', 'update', 'acme', '--priority-rule', 'class=promo:0']);
    expect(unknownClass.code).not.toBe(0);
    expect(unknownClass.stderr).toContain('messageClass');
    expect(await store.get('acme')).toMatchObject({ routes: [], priorityRules: [] });
  });

  it('add takes routes and priority rules too', async () => {
    const r = await cli([
      'accounts',
      'add',
      '--system-id',
      'routed',
      '--password',
      'pw',
      '--route',
      '1=nanp,sim',
      '--priority-rule',
      '*:1',
    ]);
    expect(r.code).toBe(0);
    expect(await store.get('routed')).toMatchObject({
      routes: [{ destinationPrefix: '1', connectors: ['nanp', 'sim'] }],
      priorityRules: [{ match: {}, priority: 1 }],
    });
    expect((await cli(['accounts', 'remove', 'routed'])).code).toBe(0);
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
