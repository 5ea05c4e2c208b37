import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountStore, hashPassword, verifyPassword } from '@smsgw/accounts';
import { connectNats, ensureTopology } from '@smsgw/nats';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../cli-io.test-support.ts';
import { runCli } from '../program.ts';
import { shownUrl } from '../nats-connection.ts';

let server: NatsServerHandle;
let nc: NatsConnection;
let store: AccountStore;
let dir: string;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({ ...server.connectOptions, name: 'cli-accounts-apply-test' });
  store = new AccountStore((await ensureTopology(nc, { owner: 'all' })).kv.accounts);
  dir = await mkdtemp(join(tmpdir(), 'smsgw-apply-'));
});

afterAll(async () => {
  await nc.close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

let fileCount = 0;

/** Writes `text` to a fresh file and returns its path. */
async function file(text: string, ext = 'yaml'): Promise<string> {
  const path = join(dir, `accounts-${++fileCount}.${ext}`);
  await writeFile(path, text);
  return path;
}

/** Runs `smsgw accounts apply <args> --nats-url <server>`. */
async function apply(...args: string[]) {
  const captured = captureIo();
  const code = await runCli(['accounts', 'apply', ...args, '--nats-url', server.url], captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

const acmeYaml = `
accounts:
  - systemId: acme
    password: "pw-acme1"
    maxBinds: 4
    approvedPriorities: [0, 1, 2]
    messageClasses: [otp, bulk]
  - systemId: beta
    password: "pw-beta"
`;

describe('smsgw accounts apply', () => {
  it('creates every declared account, hashing plaintext passwords, and never prints them', async () => {
    const r = await apply('--file', await file(acmeYaml));
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(
      'created acme\ncreated beta\naccounts: 2 created, 0 updated, 0 unchanged, 0 removed\n',
    );
    const acme = await store.get('acme');
    expect(acme).toMatchObject({
      maxBinds: 4,
      approvedPriorities: [0, 1, 2],
      messageClasses: ['otp', 'bulk'],
      maxSubmitsPerSecond: 100,
    });
    expect(await verifyPassword('pw-acme1', acme!.passwordHash)).toBe(true);
    expect(await verifyPassword('pw-beta', (await store.get('beta'))!.passwordHash)).toBe(true);
  });

  it('is idempotent: a second run writes nothing', async () => {
    const before = await store.getStored('acme');
    const r = await apply('--file', await file(acmeYaml));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'unchanged acme\nunchanged beta\naccounts: 0 created, 0 updated, 2 unchanged, 0 removed\n',
    );
    expect((await store.getStored('acme'))?.revision).toBe(before?.revision);
  });

  it('updates what changed, resets what the file left out, and names the fields', async () => {
    const text = `
accounts:
  - systemId: acme
    password: "pw-acme2"
    maxBinds: 5
    approvedPriorities: [0, 1, 2]
    messageClasses: [otp, bulk]
  - systemId: beta
    password: "pw-beta"
`;
    const r = await apply('--file', await file(text));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('updated acme: maxBinds, password\n');
    expect(r.stdout).toContain('unchanged beta\n');
    expect(r.stdout).not.toContain('pw-acme2');
    expect(r.stdout).not.toContain('scrypt$');
    const acme = (await store.get('acme'))!;
    expect(acme.maxBinds).toBe(5);
    expect(await verifyPassword('pw-acme2', acme.passwordHash)).toBe(true);

    // Declarative: dropping settings from the file brings back their defaults.
    const bare = await apply(
      '--file',
      await file('accounts:\n  - systemId: acme\n    password: "pw-acme2"\n'),
    );
    expect(bare.stdout).toContain('updated acme: maxBinds, approvedPriorities, messageClasses\n');
    expect(await store.get('acme')).toMatchObject({
      maxBinds: 10,
      approvedPriorities: [0],
      messageClasses: ['standard'],
    });
  });

  it('takes a passwordHash as is, from JSON too, across several files', async () => {
    const hash = await hashPassword('pw-gamma');
    const json = JSON.stringify({
      accounts: [{ systemId: 'gamma', passwordHash: hash, tlsRequired: true, enabled: false }],
    });
    const r = await apply(
      '--file',
      await file('accounts:\n  - systemId: acme\n    password: "pw-acme2"\n'),
      '--file',
      await file(json, 'json'),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('unchanged acme\ncreated gamma\n');
    expect(r.stdout).not.toContain(hash);
    expect(await store.get('gamma')).toMatchObject({ passwordHash: hash, tlsRequired: true, enabled: false });
  });

  it('removes undeclared accounts only with --prune', async () => {
    const only = await file('accounts:\n  - systemId: acme\n    password: "pw-acme2"\n');
    const kept = await apply('--file', only);
    expect(kept.stdout).toContain('0 removed');
    expect(await store.get('beta')).toBeDefined();

    const pruned = await apply('--file', only, '--prune', '--json');
    expect(pruned.code).toBe(0);
    expect(JSON.parse(pruned.stdout)).toEqual([
      { systemId: 'acme', outcome: 'unchanged', changed: [] },
      { systemId: 'beta', outcome: 'removed', changed: [] },
      { systemId: 'gamma', outcome: 'removed', changed: [] },
    ]);
    expect((await store.list()).map((a) => a.systemId)).toEqual(['acme']);
  });

  it('refuses a bad file with exit 2, writes nothing, and does not echo secrets', async () => {
    const cases: [string, RegExp][] = [
      [
        'accounts:\n  - systemId: new1\n    password: "pw-new1"\n  - systemId: new1\n    password: "x"\n',
        /declared twice/,
      ],
      [
        'accounts:\n  - systemId: new1\n    password: "pw-new1"\n    passwordHash: "scrypt$1"\n',
        /exactly one of/,
      ],
      ['accounts:\n  - systemId: new1\n', /exactly one of/],
      ['accounts:\n  - systemId: new1\n    password: 12345678\n', /quote it/],
      ['accounts:\n  - systemId: new1\n    password: "pw-too-long"\n', /1\.\.8 characters/],
      ['accounts:\n  - systemId: new1\n    password: "pw-new1"\n    maxBindz: 3\n', /maxBindz/],
      [
        'accounts:\n  - systemId: new1\n    password: "pw-new1"\n    createdAt: "2020-01-01T00:00:00Z"\n',
        /kept by the store/,
      ],
      ['account:\n  - systemId: new1\n', /account/],
      ['accounts:\n  - systemId: new1\n    password: "pw-new1\n  bad: [\n', /not valid YAML or JSON/],
      ['accounts:\n  - systemId: "has space"\n    password: "pw-new1"\n', /system_id/],
    ];
    for (const [text, message] of cases) {
      const r = await apply('--file', await file(text));
      expect({ text, code: r.code }).toEqual({ text, code: 2 });
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain('pw-');
      expect(r.stderr).not.toContain('12345678');
    }
    // The valid first entry of the duplicate case was not applied either.
    expect(await store.get('new1')).toBeUndefined();
  });

  it('reports a missing file (exit 1) and a missing --file (exit 2)', async () => {
    const missing = await apply('--file', join(dir, 'nope.yaml'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.yaml: ENOENT/);
    expect((await apply()).code).toBe(2);
  });

  it('hides NATS passwords in the URLs it shows', () => {
    expect(shownUrl('nats://app:s3cret@nats-0:4222,nats://tok@nats-1:4222,nats://nats-2:4222')).toBe(
      'nats://app:***@nats-0:4222,nats://***@nats-1:4222,nats://nats-2:4222',
    );
  });
});
