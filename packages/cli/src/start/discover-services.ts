/**
 * Which services this checkout has: every services/<name>/src/main.ts, so
 * `smsgw start` runs whatever exists while some services are still being
 * written. Consumers start before the edge, so that the first submit finds
 * its way through.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** A service that can be run with `node <main>`. */
export interface ServiceEntry {
  readonly name: string;
  /** The service's folder (the child's working directory). */
  readonly dir: string;
  /** Its src/main.ts. */
  readonly main: string;
}

/** The repository root, from this file's place in packages/cli/src/start. */
export const REPO_ROOT = resolve(import.meta.dirname, '../../../..');

/** Start order: the pipeline from its far end back to the edge; unknown services after these, by name. */
const ORDER = ['router', 'connector', 'dlr-dispatcher', 'edge'];

function rank(name: string): number {
  const i = ORDER.indexOf(name);
  return i === -1 ? ORDER.length : i;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The services under `<root>/services` that have a src/main.ts, in start order. */
export async function discoverServices(root: string = REPO_ROOT): Promise<ServiceEntry[]> {
  const servicesDir = join(root, 'services');
  let names: string[];
  try {
    names = (await readdir(servicesDir, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
  const found: ServiceEntry[] = [];
  for (const name of names) {
    const main = join(servicesDir, name, 'src', 'main.ts');
    if (await isFile(main)) found.push({ name, dir: join(servicesDir, name), main });
  }
  return found.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}
