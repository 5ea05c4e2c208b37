// values.schema.json: it describes every value of values.yaml (and README.md's table lists them), and
// helm refuses values it does not allow before rendering anything.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CHART_DIR, HelmError, helmTemplate } from '../support/helm-render.ts';

/** The part of JSON Schema the chart's schema uses to describe values. */
interface SchemaNode {
  readonly type?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: boolean | SchemaNode;
  readonly items?: SchemaNode;
  readonly $ref?: string;
}

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(join(CHART_DIR, file), 'utf8')) as unknown;
}

/** Follows a local `#/definitions/x` reference. */
function resolveRef(root: SchemaNode, node: SchemaNode): SchemaNode {
  if (node.$ref === undefined) return node;
  const name = node.$ref.replace('#/definitions/', '');
  const definitions = (root as { definitions?: Record<string, SchemaNode> }).definitions ?? {};
  const target = definitions[name];
  if (target === undefined) throw new Error(`unresolved ${node.$ref}`);
  return target;
}

/** Dotted paths of every value in a values tree (maps and lists are leaves: their entries are free-form). */
function valuePaths(values: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    const path = `${prefix}${key}`;
    const nested =
      value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0;
    return nested ? [path, ...valuePaths(value as Record<string, unknown>, `${path}.`)] : [path];
  });
}

/** The schema node describing a dotted path, or undefined. */
function schemaAt(root: SchemaNode, path: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const key of path.split('.')) {
    if (node === undefined) return undefined;
    node = resolveRef(root, node);
    const next: SchemaNode | undefined = node.properties?.[key];
    node = next ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
  }
  return node === undefined ? undefined : resolveRef(root, node);
}

/** Renders with `values`, expecting helm to refuse them; resolves with helm's message. */
async function refused(values: object): Promise<string> {
  try {
    await helmTemplate(values);
  } catch (err) {
    if (err instanceof HelmError) return err.stderr;
    throw err;
  }
  throw new Error(`helm accepted ${JSON.stringify(values)}`);
}

describe('values.schema.json', () => {
  it('describes every value in values.yaml, and refuses unknown keys', async () => {
    const schema = (await readJson('values.schema.json')) as SchemaNode;
    const values = parseYaml(await readFile(join(CHART_DIR, 'values.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
    const paths = valuePaths(values);
    expect(paths.length).toBeGreaterThan(60);
    const undescribed = paths.filter((path) => {
      const node = schemaAt(schema, path);
      return node?.description === undefined && node?.$ref === undefined && !path.includes('.resources.');
    });
    expect(undescribed).toEqual([]);
    expect(schema.additionalProperties).toBe(false);
  });

  it('lists every value in README.md’s table', async () => {
    const values = parseYaml(await readFile(join(CHART_DIR, 'values.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
    const readme = await readFile(join(CHART_DIR, 'README.md'), 'utf8');
    const paths = valuePaths(values);
    const leaves = paths.filter((p) => !paths.some((q) => q.startsWith(`${p}.`)));
    // What every service has is listed once, as <service>.<value>.
    const shown = (p: string): string => p.replace(/^(edge|router|connector|dlrDispatcher)\./, '<service>.');
    const missing = leaves.filter(
      (p) =>
        !p.includes('.resources.') && !readme.includes(`\`${p}\``) && !readme.includes(`\`${shown(p)}\``),
    );
    expect(missing).toEqual([]);
  });

  it.each([
    ['a replica count of 0', { edge: { replicas: 0 } }, /\/edge\/replicas/],
    ['a misspelt key', { edge: { replica: 3 } }, /additional properties 'replica'/],
    ['credentials in nats.url', { nats: { url: 'nats://app:pw@nats:4222' } }, /\/nats\/url/],
    ['TLS without a certificate source', { tls: { enabled: true } }, /\/tls/],
    ['cert-manager without an issuer', { tls: { enabled: true, certManager: { enabled: true } } }, /\/tls/],
    ['an env overriding a chart variable', { router: { env: { NATS_URL: 'nats://x:4222' } } }, /NATS_URL/],
    ['a non-string env value', { router: { env: { ROUTER_CONCURRENCY: 128 } } }, /ROUTER_CONCURRENCY/],
    ['an unknown log level', { logLevel: 'loud' }, /\/logLevel/],
    ['a bad preStop pause', { connector: { preStopSeconds: -1 } }, /\/connector\/preStopSeconds/],
    ['no connector', { connectors: [] }, /\/connectors/],
    [
      'a connector name Kubernetes refuses',
      { connectors: [{ name: 'Sim_1', driver: 'sim' }] },
      /\/connectors\/0\/name/,
    ],
    [
      'an unknown driver',
      { connectors: [{ name: 'x', driver: 'carrier-pigeon' }] },
      /\/connectors\/0\/driver/,
    ],
    [
      'a credential without its key',
      {
        connectors: [
          { name: 'x', driver: 'sim', credentials: { CONNECTOR_SMPP_PASSWORD: { secretName: 's' } } },
        ],
      },
      /\/connectors\/0\/credentials/,
    ],
    [
      'a setting the chart sets itself',
      { connectors: [{ name: 'x', driver: 'sim', settings: { CONNECTOR_NAME: 'y' } }] },
      /CONNECTOR_NAME/,
    ],
    [
      'an account with password and hash',
      { accounts: { items: [{ systemId: 'acme', password: 'pw', passwordHash: 'scrypt$x' }] } },
      /\/accounts\/items\/0/,
    ],
    [
      'an account without credentials',
      { accounts: { items: [{ systemId: 'acme' }] } },
      /\/accounts\/items\/0/,
    ],
    [
      'a too long password',
      { accounts: { items: [{ systemId: 'acme', password: 'ninechars' }] } },
      /password/,
    ],
  ])('refuses %s', async (_label, values, where) => {
    const message = await refused(values);
    expect(message).toMatch(/values don't meet the specifications of the schema/);
    expect(message).toMatch(where);
  });
});
