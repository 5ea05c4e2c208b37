/**
 * The image, the compose file and the Helm chart cannot be run here (no container runtime, no
 * cluster), so this checks that they agree with the services as they are: the entrypoint starts
 * exactly the services that exist, the way their package.json `start` scripts do; every variable
 * compose and the chart set is one the service's configuration schema knows (or a standard
 * OpenTelemetry variable), with a value the schema accepts; compose and the chart set the same
 * variables; and every port is the configuration's default.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { topologySettingsSchema } from '@smsgw/cli';
import { connectorConfig } from '@smsgw/connector';
import { dispatcherConfigSchema } from '@smsgw/dlr-dispatcher';
import { announcedGrpcAddress, edgeConfigSchema } from '@smsgw/edge';
import { routerConfigSchema } from '@smsgw/router';
import { loadConfig } from '@smsgw/runtime';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { helmTemplate, named, type K8sObject } from './support/helm-render.ts';

const ROOT = resolve(import.meta.dirname, '..');

/** Each service's configuration schema. */
const SCHEMAS = {
  edge: edgeConfigSchema,
  router: routerConfigSchema,
  connector: connectorConfig,
  'dlr-dispatcher': dispatcherConfigSchema,
} as const;

type ServiceName = keyof typeof SCHEMAS;

/** Standard OpenTelemetry SDK variables: the services read them through the SDK, not their schema. */
const OTEL_VARIABLES = new Set([
  'OTEL_SERVICE_NAME',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
]);

/**
 * Variables only the chart sets: under compose POD_NAME keeps its default (the container's hostname),
 * POD_IP is unset and EDGE_GRPC_ADDRESS defaults to `<POD_NAME>:9091`.
 */
const KUBERNETES_ONLY = new Set(['POD_IP', 'POD_NAME', 'EDGE_GRPC_ADDRESS']);

/** What the downward API would give, for checking rendered values. */
const FIELD_VALUES: Readonly<Record<string, string>> = {
  'metadata.name': 'smsgw-edge-7d9f8-x2k4q',
  'status.podIP': '10.42.0.17',
};

interface Services {
  readonly names: ServiceName[];
  readonly start: Map<string, string>;
}

async function readServices(): Promise<Services> {
  const dirs = await readdir(join(ROOT, 'services'), { withFileTypes: true });
  const start = new Map<string, string>();
  for (const dir of dirs.filter((d) => d.isDirectory())) {
    const pkg = JSON.parse(await readFile(join(ROOT, 'services', dir.name, 'package.json'), 'utf8')) as {
      scripts?: { start?: string };
    };
    if (pkg.scripts?.start !== undefined) start.set(dir.name, pkg.scripts.start);
  }
  return { names: [...start.keys()].sort() as ServiceName[], start };
}

function schemaOf(service: string): (typeof SCHEMAS)[ServiceName] {
  const schema = SCHEMAS[service as ServiceName] as (typeof SCHEMAS)[ServiceName] | undefined;
  if (schema === undefined)
    throw new Error(`no configuration schema known for service ${service}: add it to SCHEMAS`);
  return schema;
}

function defaultsOf(service: string): Record<string, unknown> {
  return loadConfig(schemaOf(service), {});
}

/** A port variable's default in the service's schema. */
function defaultPort(service: string, variable: string): number {
  const port = defaultsOf(service)[variable];
  if (typeof port !== 'number') throw new Error(`${service} has no default ${variable}`);
  return port;
}

/** Variables a service may be given: its schema's and the standard OpenTelemetry ones. */
function knownVariables(service: string): Set<string> {
  return new Set([...Object.keys(schemaOf(service).shape), ...OTEL_VARIABLES]);
}

/** Validates an environment against the service's schema; throws ConfigError naming what is wrong. */
function checkEnvironment(service: string, env: Record<string, string>): Record<string, unknown> {
  return loadConfig(schemaOf(service), env);
}

let services: Services;
let compose: {
  services: Record<string, Record<string, unknown> & { environment?: Record<string, string | number> }>;
};
let chart: K8sObject[];
let chartTls: K8sObject[];
let chartEverything: K8sObject[];

beforeAll(async () => {
  services = await readServices();
  compose = parseYaml(await readFile(join(ROOT, 'deploy', 'compose.yaml'), 'utf8'), {
    merge: true,
  }) as typeof compose;
  [chart, chartTls, chartEverything] = await Promise.all([
    helmTemplate({ otel: { endpoint: 'http://jaeger:4318' } }),
    helmTemplate({ tls: { enabled: true, existingSecret: 'smpp-tls' } }),
    helmTemplate({
      edge: { env: { EDGE_SMPP_WINDOW: '200', EDGE_DRAIN_UNBIND_TIMEOUT: '8s' } },
      connector: { env: { CONNECTOR_MAX_IN_FLIGHT: '32' } },
      connectors: [
        {
          name: 'sim',
          driver: 'sim',
          settings: { CONNECTOR_SIM_DELAY: '0', CONNECTOR_TRY_NEXT_STATUSES: '0x45' },
        },
      ],
      router: { env: { ROUTER_CONCURRENCY: '128' } },
      dlrDispatcher: { env: { DLR_PUSH_ATTEMPTS: '5' } },
    }),
  ]);
});

it('knows a configuration schema for every service', () => {
  expect(services.names).toEqual(Object.keys(SCHEMAS).sort());
});

describe('the image', () => {
  it('has an entrypoint for exactly the services that exist, run as their start scripts run them', async () => {
    const script = await readFile(join(ROOT, 'deploy', 'entrypoint.sh'), 'utf8');
    const serviceCase = /^\s*([a-z][a-z0-9 |-]*)\)\s*$/m.exec(script);
    const listed = (serviceCase?.[1] ?? '').split('|').map((s) => s.trim());
    expect(listed.sort()).toEqual(services.names);
    expect(script).toContain('cd "/app/services/$what"');
    for (const start of new Set(services.start.values())) expect(script).toContain(`exec ${start} "$@"`);
    expect(script).toMatch(/smsgw\)\s+shift\s+exec node \/app\/packages\/cli\/src\/main\.ts "\$@"/);
  });

  it('is built from Node 24 slim in stages, with production dependencies only, as a numeric non-root user', async () => {
    const dockerfile = await readFile(join(ROOT, 'deploy', 'Dockerfile'), 'utf8');
    const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(new Set(froms)).toEqual(new Set(['node:24-slim']));
    expect(dockerfile).toMatch(/^RUN pnpm install --prod --frozen-lockfile$/m);
    const user = /^USER\s+(\d+):(\d+)$/m.exec(dockerfile);
    expect(Number(user?.[1])).toBeGreaterThan(0);
    expect(dockerfile).toMatch(
      /^COPY --chmod=0755 deploy\/entrypoint\.sh \/usr\/local\/bin\/smsgw-entrypoint$/m,
    );
    expect(dockerfile).toMatch(/^ENTRYPOINT \["smsgw-entrypoint"\]$/m);
  });

  it('exposes the default ports', async () => {
    const dockerfile = await readFile(join(ROOT, 'deploy', 'Dockerfile'), 'utf8');
    const exposed = (/^EXPOSE (.+)$/m.exec(dockerfile)?.[1] ?? '').split(/\s+/).map(Number);
    const edge = defaultsOf('edge');
    expect(exposed.sort()).toEqual(
      [edge['EDGE_SMPP_PORT'], edge['EDGE_SMPP_TLS_PORT'], edge['ADMIN_PORT'], edge['EDGE_GRPC_PORT']].sort(),
    );
  });
});

describe('the compose file', () => {
  it('starts every service from the one image with its entrypoint argument', () => {
    for (const name of services.names) {
      const service = compose.services[name];
      expect(service, name).toBeDefined();
      expect(service?.['command']).toEqual([name]);
      expect(service?.['image']).toBe('smsgw:dev');
      expect(service?.['build']).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile' });
    }
  });

  it('gives each service only variables its schema knows, with values it accepts', () => {
    for (const name of services.names) {
      const env = Object.fromEntries(
        Object.entries(compose.services[name]?.environment ?? {}).map(([k, v]) => [k, String(v)]),
      );
      const unknown = Object.keys(env).filter((k) => !knownVariables(name).has(k));
      expect({ name, unknown }).toEqual({ name, unknown: [] });
      const config = checkEnvironment(name, env);
      expect(config['SERVICE_NAME']).toBe(name);
      expect(env['OTEL_SERVICE_NAME']).toBe(name);
    }
  });

  it('runs NATS with JetStream and Jaeger with OTLP where the services send it', () => {
    const nats = compose.services['nats']!;
    expect(nats['image']).toBe('nats:2.10-alpine');
    expect(nats['command']).toContain('-js');
    const jaeger = compose.services['jaeger']!;
    expect(jaeger['ports']).toEqual(expect.arrayContaining(['16686:16686', '4317:4317', '4318:4318']));
    for (const name of services.names) {
      const env = compose.services[name]?.environment ?? {};
      expect(env['NATS_URL']).toBe('nats://nats:4222');
      // http/protobuf goes to 4318, grpc to 4317.
      expect([env['OTEL_EXPORTER_OTLP_PROTOCOL'], env['OTEL_EXPORTER_OTLP_ENDPOINT']]).toEqual([
        'http/protobuf',
        'http://jaeger:4318',
      ]);
    }
  });

  it('publishes the default SMPP port, checks readiness on the default admin port, and waits out the drain', () => {
    const smpp = defaultPort('edge', 'EDGE_SMPP_PORT');
    expect(compose.services['edge']?.['ports']).toEqual([`${smpp}:${smpp}`]);
    for (const name of services.names) {
      const service = compose.services[name]!;
      const test = (service['healthcheck'] as { test: string[] }).test.join(' ');
      expect(test).toContain(`http://127.0.0.1:${defaultPort(name, 'ADMIN_PORT')}/readyz`);
      const graceMs = Number(service.environment?.['SHUTDOWN_GRACE']);
      const stopSeconds = Number(/^(\d+)s$/.exec(String(service['stop_grace_period']))?.[1]);
      expect(stopSeconds * 1000).toBeGreaterThan(graceMs);
    }
  });
});

/** The service container of a rendered Deployment (for the connector: that of the default connector, sim). */
function containerOf(objects: readonly K8sObject[], service: string): IContainer {
  const name = service === 'connector' ? 'smsgw-connector-sim' : `smsgw-${service}`;
  const deployment = named(objects, 'Deployment', name) as unknown as IDeployment;
  const container = deployment.spec?.template.spec?.containers[0];
  if (container === undefined) throw new Error(`${name} has no container`);
  return container;
}

/** A container's environment as the kubelet would give it (downward API filled in, $(VAR) expanded). */
function resolvedEnv(container: IContainer): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    const field = e.valueFrom?.fieldRef?.fieldPath;
    const value = field === undefined ? (e.value ?? '') : (FIELD_VALUES[field] ?? '');
    env[e.name] = value.replace(/\$\(([A-Z0-9_]+)\)/g, (_all, name: string) => env[name] ?? '');
  }
  return env;
}

describe('the Helm chart', () => {
  it('starts every service with its entrypoint argument', () => {
    for (const name of services.names) expect(containerOf(chart, name).args).toEqual([name]);
  });

  it('gives each service only variables its schema knows, with values it accepts', () => {
    for (const objects of [chart, chartTls, chartEverything]) {
      for (const name of services.names) {
        const env = resolvedEnv(containerOf(objects, name));
        const unknown = Object.keys(env).filter((k) => !knownVariables(name).has(k));
        expect({ name, unknown }).toEqual({ name, unknown: [] });
        const config = checkEnvironment(name, env);
        expect(config['SERVICE_NAME']).toBe(name);
        expect(config['POD_NAME']).toBe(FIELD_VALUES['metadata.name']);
      }
    }
    const edge = checkEnvironment('edge', resolvedEnv(containerOf(chartTls, 'edge')));
    // The edge announces its pod IP and gRPC port to the dispatchers.
    expect(
      announcedGrpcAddress(loadConfig(edgeConfigSchema, resolvedEnv(containerOf(chartTls, 'edge')))),
    ).toBe(`${FIELD_VALUES['status.podIP'] ?? ''}:${defaultPort('edge', 'EDGE_GRPC_PORT')}`);
    expect(edge['EDGE_TLS_CERT_FILE']).toBe('/etc/smsgw/tls/tls.crt');
  });

  it('uses the default ports for every container port', () => {
    const edge = defaultsOf('edge');
    const byName = (container: IContainer): Record<string, number> =>
      Object.fromEntries((container.ports ?? []).map((p) => [p.name ?? '', p.containerPort]));
    expect(byName(containerOf(chartTls, 'edge'))).toEqual({
      admin: edge['ADMIN_PORT'],
      smpp: edge['EDGE_SMPP_PORT'],
      'smpp-tls': edge['EDGE_SMPP_TLS_PORT'],
      grpc: edge['EDGE_GRPC_PORT'],
    });
    for (const name of services.names.filter((n) => n !== 'edge')) {
      expect(byName(containerOf(chart, name))).toEqual({ admin: defaultsOf(name)['ADMIN_PORT'] });
    }
  });

  it('provisions the topology with variables the provisioner knows, with values it accepts', async () => {
    const everything = await helmTemplate({
      topology: {
        dlrBacklog: { max: 10000, priorityMax: 100, maxAge: '24h' },
        connectorBuckets: { upstreamIdTtl: '72h', healthTtl: '15s' },
      },
    });
    // The connectors' old settings the Job falls back to (an upgrade): old names, bare milliseconds.
    const upgraded = await helmTemplate({
      connector: { env: { CONNECTOR_HEALTH_TTL_MS: '20000' } },
      connectors: [{ name: 'sim', driver: 'sim', settings: { SMPP_UPSTREAM_ID_TTL_MS: '259200000' } }],
    });
    for (const objects of [chart, everything, upgraded]) {
      const job = named(objects, 'Job', 'smsgw-topology') as unknown as {
        spec: { template: { spec: { containers: IContainer[] } } };
      };
      const container = job.spec.template.spec.containers[0] ?? expect.unreachable();
      const env = resolvedEnv(container);
      const known = new Set([...Object.keys(topologySettingsSchema.shape), 'NATS_URL']);
      expect(Object.keys(env).filter((k) => !known.has(k))).toEqual([]);
      expect(() => loadConfig(topologySettingsSchema, env)).not.toThrow();
    }
    const fallback = resolvedEnv(
      (
        named(upgraded, 'Job', 'smsgw-topology') as unknown as {
          spec: { template: { spec: { containers: IContainer[] } } };
        }
      ).spec.template.spec.containers[0] ?? expect.unreachable(),
    );
    expect(loadConfig(topologySettingsSchema, fallback)).toMatchObject({
      CONNECTOR_HEALTH_TTL: 20_000,
      CONNECTOR_SMPP_UPSTREAM_ID_TTL: 259_200_000,
    });
    expect(compose.services['topology']?.['command']).toEqual(['smsgw', 'topology', 'apply']);
    expect(compose.services['topology']?.environment?.['NATS_URL']).toBe('nats://nats:4222');
  });

  it('sets the same variables as the compose file, but for the Kubernetes-only ones', () => {
    for (const name of services.names) {
      const fromChart = Object.keys(resolvedEnv(containerOf(chart, name)))
        .filter((k) => !KUBERNETES_ONLY.has(k))
        .sort();
      const fromCompose = Object.keys(compose.services[name]?.environment ?? {}).sort();
      expect({ name, variables: fromCompose }).toEqual({ name, variables: fromChart });
    }
  });
});
