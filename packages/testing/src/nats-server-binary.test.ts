import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { NatsFixtureError } from './errors.ts';
import { startBinaryNatsServer } from './nats-server-binary.ts';

const scratch = mkdtempSync(join(tmpdir(), 'smsgw-testing-test-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** Whether a process is gone (or a zombie nobody reaped yet, which is just as dead). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false;
  } catch {
    return true;
  }
}

async function waitUntilGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (isGone(pid)) return true;
    await sleep(25);
  }
  return false;
}

describe('startBinaryNatsServer failures', () => {
  it('says so when the binary cannot be run', async () => {
    await expect(startBinaryNatsServer({ binary: join(scratch, 'no-such-binary') })).rejects.toThrow(
      /could not run/,
    );
  });

  it('reports what the server printed when it exits before accepting connections', async () => {
    const err: unknown = await startBinaryNatsServer({ args: ['--no-such-flag'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NatsFixtureError);
    expect((err as Error).message).toMatch(/exited .*before accepting connections/);
    expect((err as Error).message).toContain('no-such-flag');
  });
});

describe('cleanup when the test process goes away', () => {
  it('kills the server and removes its store when the process gets SIGTERM (as vitest ends its workers)', async () => {
    const module = join(fileURLToPath(new URL('.', import.meta.url)), 'nats-server-binary.ts');
    const script = `
      const { startBinaryNatsServer } = await import(${JSON.stringify(module)});
      const server = await startBinaryNatsServer();
      process.stdout.write(JSON.stringify({ pid: server.pid, storeDir: server.storeDir }) + '\\n');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => {
      child.once('exit', (_code, signal) => {
        resolve(signal);
      });
    });
    let output = '';
    for await (const chunk of child.stdout) {
      output += String(chunk);
      if (output.includes('\n')) break;
    }
    const { pid, storeDir } = JSON.parse(output) as { pid: number; storeDir: string };
    expect(isGone(pid)).toBe(false);
    expect(existsSync(storeDir)).toBe(true);

    child.kill('SIGTERM');
    // The handler re-raises the signal, so the process still dies of SIGTERM.
    expect(await exited).toBe('SIGTERM');
    expect(await waitUntilGone(pid)).toBe(true);
    expect(existsSync(storeDir)).toBe(false);
  });
});
