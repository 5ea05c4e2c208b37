import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from './cli-process.test-support.ts';
import { startTestSmsc, type TestSmsc } from './send/smpp-test-server.test-support.ts';

let smsc: TestSmsc;

beforeAll(async () => {
  smsc = await startTestSmsc();
});

afterAll(() => smsc.close());

describe('the smsgw process', () => {
  it('prints help for every command and exits 0', async () => {
    const top = await runCliProcess(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/start/);
    expect(top.stdout).toMatch(/accounts/);
    expect(top.stdout).toMatch(/send/);
    for (const args of [
      ['accounts', 'add', '--help'],
      ['send', '--help'],
      ['start', '--help'],
    ]) {
      const r = await runCliProcess(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: smsgw /);
    }
  });

  it('exits 2 on usage errors', async () => {
    const missing = await runCliProcess(['send', '--system-id', 'x', 'hi']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--to/);
    expect((await runCliProcess(['accounts', 'add', '--system-id', 'x', '--max-binds', 'many'])).code).toBe(
      2,
    );
  });

  it('exits 1 when NATS is unreachable', async () => {
    const r = await runCliProcess(['accounts', 'list', '--nats-url', 'nats://127.0.0.1:1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^smsgw: cannot reach NATS at nats:\/\/127\.0\.0\.1:1/);
  });

  it('sends and exits 0 with the message id; exits 1 on a refused bind', async () => {
    const base = ['send', '--port', String(smsc.port), '--system-id', 'acme', '--to', '4512345678'];
    const ok = await runCliProcess([...base, '--password', 'pw', 'Hello', '--wait-dlr', '5s']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^message_id: \d+$/m);
    expect(ok.stdout).toMatch(/^dlr id:\d+ stat:DELIVRD/m);
    const refused = await runCliProcess([...base, '--password', 'bad', 'Hello']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/ESME_RINVPASWD/);
  });
});
