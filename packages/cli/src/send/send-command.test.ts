import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandStatus, DataCoding, EsmClass, Npi, Ton, parseUdh } from '@smsgw/smpp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../cli-io.test-support.ts';
import { runCli } from '../program.ts';
import { writeSelfSignedCertificate, type CertificateFiles } from '../start/certificate.ts';
import { startTestSmsc, type TestSmsc, type TestSmscOptions } from './smpp-test-server.test-support.ts';

let smsc: TestSmsc | undefined;
let dir: string;
let cert: CertificateFiles;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smsgw-send-test-'));
  cert = await writeSelfSignedCertificate(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await smsc?.close();
  smsc = undefined;
});

async function start(options: TestSmscOptions = {}): Promise<TestSmsc> {
  smsc = await startTestSmsc(options);
  return smsc;
}

async function send(args: string[], stdin = '') {
  const captured = captureIo(stdin);
  const code = await runCli(['send', '--system-id', 'acme', ...args], captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

describe('smsgw send', () => {
  it('submits, prints the message id, waits for the receipt and prints it (exit 0)', async () => {
    const s = await start();
    const r = await send([
      '--port',
      String(s.port),
      '--password',
      'pw',
      '--to',
      '+4512345678',
      'Hello',
      '--wait-dlr',
      '5s',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('message_id: 1000\n');
    expect(r.stdout).toMatch(/^dlr id:1000 stat:DELIVRD err:000 state:DELIVERED$/m);
    expect(s.binds).toEqual([{ command: 'bind_transceiver', systemId: 'acme' }]);
    expect(s.receiptsAcked).toBe(1);
    const [submit] = s.submits;
    expect(submit).toMatchObject({
      destAddrTon: Ton.INTERNATIONAL,
      destAddrNpi: Npi.ISDN,
      destinationAddr: '4512345678',
      sourceAddr: '',
      registeredDelivery: 1,
      dataCoding: DataCoding.MC_DEFAULT,
      priorityFlag: 0,
    });
    expect(Buffer.from(submit!.shortMessage).toString('latin1')).toBe('Hello');
  });

  it('binds as transmitter without --wait-dlr and maps every message option onto submit_sm', async () => {
    const s = await start();
    const r = await send([
      '--port',
      String(s.port),
      '--password',
      'pw',
      '--from',
      'ACME',
      '--to',
      '4512345678',
      '--coding',
      'ucs2',
      '--priority',
      '2',
      '--registered-delivery',
      'failure',
      '--user-message-reference',
      '4242',
      '--message-class',
      'otp',
      '--flash',
      'Hej ☺',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('message_id: 1000\n');
    expect(s.binds[0]?.command).toBe('bind_transmitter');
    expect(s.submits[0]).toMatchObject({
      sourceAddrTon: Ton.ALPHANUMERIC,
      sourceAddrNpi: Npi.UNKNOWN,
      sourceAddr: 'ACME',
      dataCoding: DataCoding.UCS2_FLASH,
      priorityFlag: 2,
      registeredDelivery: 2,
      tlvs: {
        destAddrSubunit: 1,
        userMessageReference: 4242,
        messageClass: new Uint8Array(Buffer.from('otp')),
      },
    });
    expect(Buffer.from(s.submits[0]!.shortMessage).swap16().toString('utf16le')).toBe('Hej ☺');
  });

  it('splits a long message with UDH by default, or SAR, or sends one message_payload', async () => {
    const s = await start();
    const text = 'x'.repeat(200);
    const udh = await send(['--port', String(s.port), '--password', 'pw', '--to', '45', text]);
    expect(udh.stdout).toBe('message_id: 1000 (part 1/2)\nmessage_id: 1001 (part 2/2)\n');
    const [p1, p2] = s.submits;
    expect(p1!.esmClass & EsmClass.UDHI).toBe(EsmClass.UDHI);
    expect(parseUdh(p1!.shortMessage).concat).toMatchObject({ total: 2, sequence: 1 });
    expect(parseUdh(p2!.shortMessage).concat).toMatchObject({ total: 2, sequence: 2 });

    s.submits.length = 0;
    await send(['--port', String(s.port), '--password', 'pw', '--to', '45', '--long', 'sar', text]);
    expect(s.submits.map((p) => [p.esmClass, p.tlvs.sarTotalSegments, p.tlvs.sarSegmentSeqnum])).toEqual([
      [0, 2, 1],
      [0, 2, 2],
    ]);

    s.submits.length = 0;
    await send(['--port', String(s.port), '--password', 'pw', '--to', '45', '--long', 'payload', text]);
    expect(s.submits).toHaveLength(1);
    expect(s.submits[0]!.shortMessage).toHaveLength(0);
    expect(Buffer.from(s.submits[0]!.tlvs.messagePayload!).toString('latin1')).toBe(text);
  });

  it('exits 1 and names the status when submit_sm is refused', async () => {
    const s = await start({ submitStatus: CommandStatus.ESME_RTHROTTLED });
    const r = await send(['--port', String(s.port), '--password', 'pw', '--to', '45', 'hi']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/submit_sm failed: ESME_RTHROTTLED/);
  });

  it('exits 1 when the bind is refused, and when nothing listens', async () => {
    const s = await start();
    const bad = await send(['--port', String(s.port), '--password', 'wrong', '--to', '45', 'hi']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bind_transmitter refused: ESME_RINVPASWD/);
    await s.close();
    smsc = undefined;
    const refused = await send(['--port', String(s.port), '--password', 'pw', '--to', '45', 'hi']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/cannot connect to 127\.0\.0\.1:\d+/);
  });

  it('exits 1 when no receipt comes in time, and when the receipt says UNDELIV', async () => {
    const silent = await start({ receipts: false });
    const timeout = await send([
      '--port',
      String(silent.port),
      '--password',
      'pw',
      '--to',
      '45',
      'hi',
      '--wait-dlr',
      '200ms',
    ]);
    expect(timeout.code).toBe(1);
    expect(timeout.stdout).toContain('message_id: 1000');
    expect(timeout.stderr).toMatch(/no final delivery receipt within 200 ms for: 1000/);
    await silent.close();

    const undeliv = await start({ stat: 'UNDELIV' });
    const r = await send([
      '--port',
      String(undeliv.port),
      '--password',
      'pw',
      '--to',
      '45',
      'hi',
      '--wait-dlr',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/dlr id:1000 stat:UNDELIV err:001 state:UNDELIVERABLE/);
  });

  it('--count/--window: keeps the window, prints throughput and latency', async () => {
    const s = await start();
    const r = await send([
      '--port',
      String(s.port),
      '--password',
      'pw',
      '--to',
      '45',
      '--count',
      '40',
      '--window',
      '4',
      'load',
      '--wait-dlr',
      '10s',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(s.submits).toHaveLength(40);
    expect(s.maxInFlight).toBeLessThanOrEqual(4);
    expect(r.stdout).toMatch(/^sent 40 submit_sm \(40 messages\): 40 accepted, 0 rejected in [\d.]+ s$/m);
    expect(r.stdout).toMatch(/^[\d.]+ accepted\/s; latency p50 [\d.]+ ms, p99 [\d.]+ ms/m);
    expect(r.stdout).toMatch(/^receipts: 40 final, 0 not delivered, 0 missing$/m);
  });

  it('--count prints progress lines on stderr when it is not a terminal (--no-progress: none)', async () => {
    const s = await start();
    const args = [
      '--port',
      String(s.port),
      '--password',
      'pw',
      '--to',
      '45',
      '--count',
      '300',
      '--window',
      '1',
    ];
    const r = await send([...args, '--progress-every', '1ms', 'x', '--wait-dlr', '10s']);
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatch(
        /^progress: \d+\/300 sent, \d+ accepted \(\d+\.\d\/s\), 0 errors, \d+ receipts, \d+\.\d s$/,
      );
    }
    const quiet = await send([...args, '--progress-every', '1ms', '--no-progress', 'x']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });

  it('exits 1 when the server ends the session before every submit was sent', async () => {
    const s = await start({ unbindAfter: 3 });
    const r = await send([
      '--port',
      String(s.port),
      '--password',
      'pw',
      '--to',
      '45',
      '--count',
      '20',
      '--window',
      '1',
      'x',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the session closed early \(peer-unbind\)/);
    expect(r.stderr).toMatch(/1[67] submit_sm not sent/);
  });

  it('--json prints one document with ids, latency and receipts', async () => {
    const s = await start();
    const r = await send([
      '--port',
      String(s.port),
      '--password',
      'pw',
      '--to',
      '45',
      'hi',
      '--wait-dlr',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      ok: true,
      messageIds: ['1000'],
      accepted: 1,
      rejected: 0,
      missingReceipts: [],
    });
    expect(doc['receipts']).toMatchObject({ '1000': [{ id: '1000', stat: 'DELIVRD', final: true }] });
  });

  it('connects over TLS, verifying the certificate with --ca (and refusing it without)', async () => {
    const s = await start({ tls: { cert: cert.cert, key: cert.key } });
    const ok = await send([
      '--tls',
      '--ca',
      cert.certFile,
      '--port',
      String(s.port),
      '--password',
      'pw',
      '--to',
      '45',
      'tls',
    ]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const untrusted = await send([
      '--tls',
      '--port',
      String(s.port),
      '--password',
      'pw',
      '--to',
      '45',
      'tls',
    ]);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/self-signed|self signed/);
    const insecure = await send([
      '--tls',
      '--insecure',
      '--port',
      String(s.port),
      '--password',
      'pw',
      '--to',
      '45',
      'tls',
    ]);
    expect(insecure.code).toBe(0);
  });

  it('reads the message from --file and sends binary content as it is', async () => {
    const s = await start();
    const file = join(dir, 'msg.txt');
    await writeFile(file, 'from a file\n');
    expect(
      (await send(['--port', String(s.port), '--password', 'pw', '--to', '45', '--file', file])).code,
    ).toBe(0);
    expect(Buffer.from(s.submits[0]!.shortMessage).toString('latin1')).toBe('from a file');
    expect(
      (
        await send([
          '--port',
          String(s.port),
          '--password',
          'pw',
          '--to',
          '45',
          '--coding',
          'binary',
          '0b05040b84',
        ])
      ).code,
    ).toBe(0);
    expect(s.submits[1]).toMatchObject({ dataCoding: 4 });
    expect(Buffer.from(s.submits[1]!.shortMessage).toString('hex')).toBe('0b05040b84');
  });

  it('refuses contradictory options with exit 2 before connecting', async () => {
    expect(
      (await send(['--password', 'pw', '--to', '45', 'hi', '--wait-dlr', '--bind', 'transmitter'])).code,
    ).toBe(2);
    expect(
      (await send(['--password', 'pw', '--to', '45', 'hi', '--wait-dlr', '--registered-delivery', 'none']))
        .code,
    ).toBe(2);
    expect((await send(['--password', 'pw', '--to', '45', '--coding', 'gsm7', 'Привет'])).code).toBe(2);
    expect((await send(['--password', 'pw', '--to', '45'])).code).toBe(2);
    expect((await send(['--password', 'pw', '--to', '45', '--priority', '4', 'hi'])).code).toBe(2);
    expect((await send(['--password', 'pw', 'hi'])).code).toBe(2);
  });
});
