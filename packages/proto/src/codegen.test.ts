// Keeps proto/ and the committed src/gen/ honest in CI, offline: buf lints and format-checks the .proto
// sources, and regenerates the code into a temp dir with the package's own `generate` script, which must
// give exactly the committed files.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const binDir = join(packageDir, 'node_modules', '.bin');
// buf finds the local protoc-gen-es plugin on PATH, and the plugin's shim needs a Node >= 22 first.
const env = {
  ...process.env,
  PATH: [binDir, dirname(process.execPath), process.env['PATH'] ?? ''].join(delimiter),
};

async function script(name: string): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = (manifest.scripts[name] ?? '').split(/\s+/).filter(Boolean);
  expect(words[0], `script ${name} runs buf`).toBe('buf');
  return words.slice(1);
}

async function buf(args: readonly string[]): Promise<void> {
  try {
    await run(join(binDir, 'buf'), args, { cwd: packageDir, env });
  } catch (error) {
    // buf lint and format report on stdout; show it rather than just "Command failed".
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`buf ${args.join(' ')} failed:\n${stdout}${stderr}`, { cause: error });
  }
}

async function readTree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(root, path), await readFile(path, 'utf8'));
  }
  return files;
}

// buf and the plugin are separate processes; give them room on a busy two-core CI machine.
describe('proto sources', { timeout: 60_000 }, () => {
  it('pass buf lint', async () => {
    await expect(buf(await script('lint:proto'))).resolves.toBeUndefined();
  });

  it('are formatted as buf format writes them', async () => {
    await expect(buf(['format', '../../proto', '--diff', '--exit-code'])).resolves.toBeUndefined();
  });

  it('generate exactly the committed src/gen/ (run `./run --filter @smsgw/proto generate` if not)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'smsgw-proto-gen-'));
    try {
      await buf([...(await script('generate')), '--output', out]);
      const fresh = await readTree(join(out, 'src', 'gen'));
      const committed = await readTree(join(packageDir, 'src', 'gen'));
      const paths = [...new Set([...fresh.keys(), ...committed.keys()])].sort();
      const stale = paths.filter((path) => fresh.get(path) !== committed.get(path));
      expect(fresh.size).toBeGreaterThan(0);
      expect(stale).toEqual([]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
