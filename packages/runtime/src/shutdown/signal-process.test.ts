// The real thing once: a child process, a real SIGTERM, the default process.exit, and pino's
// asynchronous stdout flushed before the process ends.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./signal-fixture.test-support.ts', import.meta.url));

async function terminate(mode: 'clean' | 'stuck'): Promise<{ code: number | null; messages: unknown[] }> {
  const child = spawn(process.execPath, [fixture, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    if (!output.includes('"msg":"ready"') && (output + chunk).includes('"msg":"ready"'))
      child.kill('SIGTERM');
    output += chunk;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (exitCode) => {
      resolve(exitCode);
    });
  });
  const messages = output
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { msg?: unknown }).msg);
  return { code, messages };
}

describe('shutdown in a real process', () => {
  it('exits 0 on SIGTERM after running its hooks, with every log line written', async () => {
    const { code, messages } = await terminate('clean');
    expect(code).toBe(0);
    expect(messages).toEqual(
      expect.arrayContaining(['signal received', 'shutdown started', 'shutdown finished']),
    );
    expect(messages.at(-1)).toBe('shutdown finished');
  });

  it('exits 1 when a hook outlives the grace period', async () => {
    const { code, messages } = await terminate('stuck');
    expect(code).toBe(1);
    expect(messages).toContain('shutdown grace period ran out; abandoning the hooks still running');
    expect(messages.at(-1)).toBe('shutdown finished');
  });
});
