/**
 * The workspace's package boundaries (CONTRIBUTING.md, "Where code and tests
 * go"), read from the sources: what runs in production imports only what its
 * package declares under `dependencies` (so `pnpm install --prod`, the image's
 * install, has it, and nothing test-only comes with it), and no file reaches
 * into another package by relative path.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Manifest {
  readonly name: string;
  readonly dependencies?: Record<string, string>;
  readonly exports?: Record<string, string>;
}

interface Workspace {
  readonly dir: string;
  readonly manifest: Manifest;
}

function workspaces(): Workspace[] {
  return ['packages', 'services'].flatMap((group) =>
    readdirSync(join(ROOT, group))
      .map((name) => join(ROOT, group, name))
      .filter((dir) => existsSync(join(dir, 'package.json')))
      .map((dir) => ({
        dir,
        manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest,
      })),
  );
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'gen') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The specifiers a file imports (static, re-exported and dynamic), type-only ones left out. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gm)) {
    if (m[1] === undefined && m[2] !== undefined) found.push(m[2]);
  }
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) if (m[1] !== undefined) found.push(m[1]);
  for (const m of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) if (m[1] !== undefined) found.push(m[1]);
  return found;
}

/** The package a bare specifier names (`@scope/name` or `name`). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? specifier);
}

const isTestOnly = (file: string, testExports: ReadonlySet<string>): boolean =>
  /\.test(-support)?\.ts$/.test(file) || testExports.has(file);

describe('package boundaries', () => {
  it('production code imports only the packages its manifest lists under dependencies', () => {
    const undeclared: string[] = [];
    for (const { dir, manifest } of workspaces()) {
      const declared = new Set([manifest.name, ...Object.keys(manifest.dependencies ?? {})]);
      // A `./testing` export is test support: only tests import it.
      const testExports = new Set(
        Object.entries(manifest.exports ?? {})
          .filter(([key]) => key === './testing')
          .map(([, path]) => resolve(dir, path)),
      );
      for (const file of existsSync(join(dir, 'src')) ? sources(join(dir, 'src')) : []) {
        if (isTestOnly(file, testExports)) continue;
        for (const specifier of importsOf(file)) {
          if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
          if (builtinModules.includes(specifier)) continue;
          if (!declared.has(packageOf(specifier))) undeclared.push(`${relative(ROOT, file)}: ${specifier}`);
        }
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('no file imports another package by relative path', () => {
    const crossing: string[] = [];
    const roots = [...workspaces().map((w) => w.dir), join(ROOT, 'test')];
    for (const root of roots) {
      for (const file of sources(root)) {
        for (const specifier of importsOf(file)) {
          if (!specifier.startsWith('.')) continue;
          const target = resolve(dirname(file), specifier);
          if (!target.startsWith(root + sep)) crossing.push(`${relative(ROOT, file)}: ${specifier}`);
        }
      }
    }
    expect(crossing).toEqual([]);
  });
});
