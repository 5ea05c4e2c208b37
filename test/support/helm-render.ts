/**
 * Runs helm (helm-binary.ts) on charts/smsgw: lint, and template with a value set, parsed into
 * Kubernetes objects. Helm's own state (cache, config, repositories) goes to a temporary folder,
 * never to the user's home.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { helmBinary } from './helm-binary.ts';

/** The chart under test. */
export const CHART_DIR = resolve(import.meta.dirname, '..', '..', 'charts', 'smsgw');

/** The Kubernetes version templates are rendered for (Capabilities.KubeVersion; the chart asks for ≥ 1.27). */
export const KUBE_VERSION = '1.30.0';

/** Release name and namespace of every rendering. */
export const RELEASE = { name: 'smsgw', namespace: 'sms' } as const;

/** A rendered object: what every Kubernetes object has, the rest left open. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly annotations?: Record<string, string> };
  readonly [field: string]: unknown;
}

/** Helm exited non-zero. */
export class HelmError extends Error {
  /** What helm printed on stderr. */
  readonly stderr: string;

  constructor(args: readonly string[], stderr: string) {
    super(`helm ${args.join(' ')} failed:\n${stderr}`);
    this.name = 'HelmError';
    this.stderr = stderr;
  }
}

/** What a helm run printed. */
export interface HelmOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs helm with `args`; HelmError when it exits non-zero. */
export async function runHelm(args: readonly string[]): Promise<HelmOutput> {
  const helm = await helmBinary();
  const home = await mkdtemp(join(tmpdir(), 'smsgw-helm-'));
  try {
    return await new Promise<HelmOutput>((resolvePromise, reject) => {
      execFile(
        helm,
        [...args],
        {
          env: {
            PATH: process.env['PATH'] ?? '',
            HOME: home,
            HELM_CACHE_HOME: join(home, 'cache'),
            HELM_CONFIG_HOME: join(home, 'config'),
            HELM_DATA_HOME: join(home, 'data'),
          },
          maxBuffer: 16 * 1024 * 1024,
        },
        (err, stdout, stderr) => {
          if (err === null) resolvePromise({ stdout, stderr });
          else reject(new HelmError(args, stderr === '' ? err.message : stderr));
        },
      );
    });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** Runs `fn` with a values file holding `values` (JSON is YAML). */
async function withValuesFile<T>(values: object, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'smsgw-values-'));
  try {
    const path = join(dir, 'values.yaml');
    await writeFile(path, JSON.stringify(values));
    return await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `helm lint --strict` with the value set; resolves with its output, HelmError when it fails. */
export function helmLint(values: object = {}): Promise<HelmOutput> {
  return withValuesFile(values, (file) =>
    runHelm(['lint', CHART_DIR, '--strict', '--kube-version', KUBE_VERSION, '--values', file]),
  );
}

/** Every object `helm template` renders with the value set (tests included), parsed. */
export function helmTemplate(values: object = {}): Promise<K8sObject[]> {
  return withValuesFile(values, async (file) => {
    const { stdout } = await runHelm([
      'template',
      RELEASE.name,
      CHART_DIR,
      '--namespace',
      RELEASE.namespace,
      '--kube-version',
      KUBE_VERSION,
      '--values',
      file,
    ]);
    return parseAllDocuments(stdout).flatMap((doc) => {
      if (doc.errors.length > 0) throw new Error(`helm rendered invalid YAML: ${doc.errors[0]?.message}`);
      // helm renders Kubernetes objects, and null for an empty document.
      const value = doc.toJS() as K8sObject | null;
      return value === null ? [] : [value];
    });
  });
}

/** The NOTES.txt helm prints after installing with the value set (a client-side dry run: no cluster). */
export function helmNotes(values: object = {}): Promise<string> {
  return withValuesFile(values, async (file) => {
    const { stdout } = await runHelm([
      'install',
      RELEASE.name,
      CHART_DIR,
      '--namespace',
      RELEASE.namespace,
      '--dry-run=client',
      '--hide-secret',
      '--values',
      file,
    ]);
    const at = stdout.indexOf('\nNOTES:\n');
    if (at === -1) throw new Error('helm printed no NOTES');
    return stdout.slice(at + '\nNOTES:\n'.length);
  });
}

/** The objects of one kind. */
export function ofKind(objects: readonly K8sObject[], kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind);
}

/** The one object of `kind` named `name`; throws when it is missing. */
export function named(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name} rendered`);
  return found;
}
