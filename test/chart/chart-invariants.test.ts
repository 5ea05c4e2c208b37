// What the chart promises operators, checked on every value set: one-pod-at-a-time rollouts that
// drain within their grace period, health probes, locked-down pods, the edge's Services, PDBs and
// anti-affinity, TLS mounted for hot reload, accounts applied by a hook Job, and no secret in the clear.
import type { ICertificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPod } from 'kubernetes-models/v1/Pod';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import { beforeAll, describe, expect, it } from 'vitest';
import { helmNotes, helmTemplate, named, ofKind, type K8sObject } from '../support/helm-render.ts';
import {
  ACCOUNT_PASSWORD,
  VALUE_SETS,
  VALUE_SET_NAMES,
  connectorNames,
  type ValueSetName,
} from './value-sets.ts';

const SERVICES = ['edge', 'router', 'connector', 'dlr-dispatcher'] as const;

const rendered = new Map<ValueSetName, K8sObject[]>();

beforeAll(async () => {
  const all = await Promise.all(VALUE_SET_NAMES.map((name) => helmTemplate(VALUE_SETS[name])));
  VALUE_SET_NAMES.forEach((name, i) => rendered.set(name, all[i] ?? []));
});

function objectsOf(set: ValueSetName): K8sObject[] {
  const objects = rendered.get(set);
  if (objects === undefined) throw new Error(`${set} was not rendered`);
  return objects;
}

/** A service's Deployment; for `connector`, that of the set's first connector (`smsgw-connector-<name>`). */
function deployment(set: ValueSetName, service: string, connector = connectorNames(set)[0]): IDeployment {
  const name = service === 'connector' ? `smsgw-connector-${connector}` : `smsgw-${service}`;
  return named(objectsOf(set), 'Deployment', name) as unknown as IDeployment;
}

/** The Deployment names a set renders: one per service, one per connector. */
function deploymentNames(set: ValueSetName): string[] {
  return SERVICES.flatMap((s) =>
    s === 'connector' ? connectorNames(set).map((c) => `smsgw-connector-${c}`) : [`smsgw-${s}`],
  );
}

function podSpecOf(d: IDeployment | IJob): IPodSpec {
  const spec = d.spec?.template.spec;
  if (spec === undefined) throw new Error('no pod spec');
  return spec;
}

/** The one container of a pod. */
function containerOf(spec: IPodSpec): IContainer {
  expect(spec.containers).toHaveLength(1);
  return spec.containers[0]!;
}

/** A container's plain env values by name (valueFrom ones as undefined). */
function envOf(container: IContainer): Map<string, string | undefined> {
  return new Map((container.env ?? []).map((e) => [e.name, e.value]));
}

/** Every pod spec the chart renders: Deployments, the hook Job, the test Pod. */
function allPodSpecs(objects: readonly K8sObject[]): [string, IPodSpec][] {
  return objects.flatMap((o): [string, IPodSpec][] => {
    if (o.kind === 'Deployment' || o.kind === 'Job')
      return [[o.metadata.name, podSpecOf(o as unknown as IDeployment)]];
    if (o.kind === 'Pod') return [[o.metadata.name, (o as unknown as IPod).spec!]];
    return [];
  });
}

describe.each(VALUE_SET_NAMES)('chart with %s', (set) => {
  it('renders one Deployment per service and per connector, rolling one pod at a time', () => {
    expect(
      ofKind(objectsOf(set), 'Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(deploymentNames(set).sort());
    for (const service of SERVICES) {
      const spec = deployment(set, service).spec!;
      expect(spec.strategy).toEqual({
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
      });
      const container = containerOf(podSpecOf(deployment(set, service)));
      expect(container.args).toEqual([service]);
      expect(envOf(container).get('SERVICE_NAME')).toBe(service);
    }
  });

  it('gives every service a preStop pause and a grace period longer than pause + drain', () => {
    for (const service of SERVICES) {
      const pod = podSpecOf(deployment(set, service));
      const container = containerOf(pod);
      const command = container.lifecycle?.preStop?.exec?.command ?? [];
      expect(command[0]).toBe('sleep');
      const preStopMs = Number(command[1]) * 1000;
      expect(preStopMs).toBeGreaterThan(0);
      const drainMs = Number(envOf(container).get('SHUTDOWN_GRACE'));
      expect(drainMs).toBeGreaterThan(0);
      expect(pod.terminationGracePeriodSeconds! * 1000).toBeGreaterThanOrEqual(preStopMs + drainMs + 1000);
    }
  });

  it('probes /livez for liveness and /readyz for readiness on the admin port', () => {
    for (const service of SERVICES) {
      const container = containerOf(podSpecOf(deployment(set, service)));
      expect(container.livenessProbe?.httpGet).toEqual({ path: '/livez', port: 'admin' });
      expect(container.startupProbe?.httpGet).toEqual({ path: '/livez', port: 'admin' });
      expect(container.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'admin' });
      expect(container.ports?.find((p) => p.name === 'admin')?.containerPort).toBe(9090);
      expect(container.resources?.requests).toBeDefined();
      expect(container.resources?.limits?.['memory']).toBeDefined();
    }
  });

  it('runs every pod as non-root with a read-only root filesystem and no privileges', () => {
    const specs = allPodSpecs(objectsOf(set));
    expect(specs.length).toBeGreaterThanOrEqual(4);
    for (const [name, spec] of specs) {
      expect({ name, ...spec.securityContext }).toMatchObject({ name, runAsNonRoot: true, runAsUser: 1000 });
      expect(spec.automountServiceAccountToken).toBe(false);
      for (const container of spec.containers) {
        expect({ name, ...container.securityContext }).toMatchObject({
          name,
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
      }
    }
  });

  it('spreads every service across nodes and bounds voluntary disruptions of the edge', () => {
    for (const service of SERVICES) {
      const d = deployment(set, service);
      const pod = podSpecOf(d);
      const anti = pod.affinity?.podAntiAffinity;
      const term =
        anti?.requiredDuringSchedulingIgnoredDuringExecution?.[0] ??
        anti?.preferredDuringSchedulingIgnoredDuringExecution?.[0]?.podAffinityTerm;
      expect(term?.topologyKey).toBe('kubernetes.io/hostname');
      expect(term?.labelSelector?.matchLabels).toEqual(d.spec!.selector.matchLabels);
    }
    const edgePdb = named(
      objectsOf(set),
      'PodDisruptionBudget',
      'smsgw-edge',
    ) as unknown as IPodDisruptionBudget;
    expect(edgePdb.spec?.selector?.matchLabels).toEqual(deployment(set, 'edge').spec!.selector.matchLabels);
    expect(edgePdb.spec?.maxUnavailable).toBeDefined();
    expect(edgePdb.spec?.minAvailable).toBeUndefined();
  });

  it('exposes SMPP through a LoadBalancer with externalTrafficPolicy Local, and gRPC through a headless Service', () => {
    const edge = deployment(set, 'edge');
    const edgePorts = containerOf(podSpecOf(edge)).ports ?? [];
    const tls = set === 'tls from a Secret' || set === 'cert-manager';

    const lb = named(objectsOf(set), 'Service', 'smsgw-edge') as unknown as IService;
    expect(lb.spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    expect(lb.spec?.selector).toEqual(edge.spec!.selector.matchLabels);
    const lbPorts = (lb.spec?.ports ?? []).map((p) => [p.port, p.targetPort]);
    expect(lbPorts).toEqual(
      tls
        ? [
            [2775, 'smpp'],
            [8775, 'smpp-tls'],
          ]
        : [[2775, 'smpp']],
    );
    for (const [, target] of lbPorts) expect(edgePorts.map((p) => p.name)).toContain(target);

    const headless = named(objectsOf(set), 'Service', 'smsgw-edge-pods') as unknown as IService;
    expect(headless.spec?.clusterIP).toBe('None');
    expect(headless.spec?.selector).toEqual(edge.spec!.selector.matchLabels);
    expect(headless.spec?.ports?.find((p) => p.name === 'grpc')).toMatchObject({
      port: 9091,
      targetPort: 'grpc',
    });

    // Dispatchers dial what the edge announces: its pod IP (bracketed when IPv6) and the gRPC port.
    const env = containerOf(podSpecOf(edge)).env ?? [];
    expect(env.find((e) => e.name === 'POD_IP')?.valueFrom?.fieldRef?.fieldPath).toBe('status.podIP');
    expect(env.some((e) => e.name === 'EDGE_GRPC_ADDRESS')).toBe(false);
    expect(env.find((e) => e.name === 'POD_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
  });

  it('keeps secrets out of ConfigMaps, env values and everything but Secrets', () => {
    const objects = objectsOf(set);
    const notSecrets = JSON.stringify(objects.filter((o) => o.kind !== 'Secret'));
    expect(notSecrets).not.toContain(ACCOUNT_PASSWORD);
    expect(notSecrets).not.toContain(Buffer.from(ACCOUNT_PASSWORD).toString('base64'));
    expect(notSecrets).not.toContain('scrypt$');
    for (const [name, spec] of allPodSpecs(objects)) {
      for (const e of spec.containers.flatMap((c) => c.env ?? [])) {
        // Credentials in a URL (nats://user:pw@…) or anything named like a secret must come from a Secret.
        if (e.value !== undefined) {
          expect(e.value, `${name} ${e.name}`).not.toMatch(/:\/\/[^/]*@/);
          expect(e.name, name).not.toMatch(/PASSWORD|SECRET|TOKEN/);
        }
      }
    }
    for (const secret of ofKind(objects, 'Secret') as unknown as ISecret[]) {
      // data (base64), so that the password is not readable at a glance in `kubectl get -o yaml` either.
      expect(secret.stringData).toBeUndefined();
    }
  });

  it('has a helm test Pod only when tests.enabled, submitting through the edge Service with the CLI', () => {
    const pods = ofKind(objectsOf(set), 'Pod') as unknown as IPod[];
    const tests = (VALUE_SETS[set] as { tests?: { enabled?: boolean; existingSecret?: string } }).tests;
    if (tests?.enabled !== true) {
      // Off by default: its message is real, and without an existing account it would create one.
      expect(pods).toHaveLength(0);
      return;
    }
    expect(pods).toHaveLength(1);
    const pod = pods[0]!;
    expect(pod.metadata?.annotations?.['helm.sh/hook']).toBe('test');
    const container = containerOf(pod.spec!);
    expect(container.args?.join('\n')).toMatch(/smsgw send --host "\$EDGE_HOST"/);
    expect(envOf(container).get('EDGE_HOST')).toBe('smsgw-edge.sms.svc');
    const systemId = container.env?.find((e) => e.name === 'SYSTEM_ID');
    if (tests.existingSecret === undefined) {
      expect(systemId?.value).toBe('helm-test');
    } else {
      // An account made for the test: credentials from its Secret, and the pod creates none.
      expect(systemId?.valueFrom?.secretKeyRef?.name).toBe(tests.existingSecret);
      expect(container.env?.find((e) => e.name === 'TEST_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({
        name: tests.existingSecret,
        key: 'password',
      });
    }
  });
});

describe('value-specific rendering', () => {
  it('mounts the TLS Secret as a directory (no subPath) where EDGE_TLS_CERT_FILE and EDGE_TLS_KEY_FILE point', () => {
    for (const [set, secretName] of [
      ['tls from a Secret', 'smpp-tls'],
      ['cert-manager', 'smsgw-tls'],
    ] as const) {
      const pod = podSpecOf(deployment(set, 'edge'));
      const container = containerOf(pod);
      const env = envOf(container);
      const mount = container.volumeMounts?.find((m) => m.name === 'tls');
      expect(mount).toMatchObject({ mountPath: '/etc/smsgw/tls', readOnly: true });
      expect(mount?.subPath).toBeUndefined();
      expect(env.get('EDGE_TLS_CERT_FILE')).toBe('/etc/smsgw/tls/tls.crt');
      expect(env.get('EDGE_TLS_KEY_FILE')).toBe('/etc/smsgw/tls/tls.key');
      expect(env.get('EDGE_TLS_RELOAD_INTERVAL')).toBe('10s');
      expect(pod.volumes?.find((v) => v.name === 'tls')?.secret?.secretName).toBe(secretName);
      expect(container.ports?.find((p) => p.name === 'smpp-tls')?.containerPort).toBe(8775);
    }
    expect(envOf(containerOf(podSpecOf(deployment('defaults', 'edge')))).has('EDGE_TLS_CERT_FILE')).toBe(
      false,
    );
  });

  it('asks cert-manager for the certificate only when enabled', () => {
    const certificates = ofKind(objectsOf('cert-manager'), 'Certificate') as unknown as ICertificate[];
    expect(certificates).toHaveLength(1);
    expect(certificates[0]!.spec).toMatchObject({
      secretName: 'smsgw-tls',
      issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer', group: 'cert-manager.io' },
      dnsNames: ['smpp.example.com', 'smpp-tls.example.com'],
    });
    for (const set of VALUE_SET_NAMES.filter((s) => s !== 'cert-manager')) {
      expect(ofKind(objectsOf(set), 'Certificate')).toEqual([]);
    }
  });

  it('scales to 3 replicas with JetStream replicas 3 and hard anti-affinity for the edge', () => {
    for (const service of SERVICES) {
      const d = deployment('replicas 3', service);
      expect(d.spec?.replicas).toBe(3);
      expect(envOf(containerOf(podSpecOf(d))).get('NATS_REPLICAS')).toBe('3');
    }
    const anti = podSpecOf(deployment('replicas 3', 'edge')).affinity?.podAntiAffinity;
    expect(anti?.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
  });

  it('derives the grace period from the drain and the pause', () => {
    // everything set: edge shutdownGraceMs 40000, preStopSeconds 10 → 40 + 10 + 5.
    expect(podSpecOf(deployment('everything set', 'edge')).terminationGracePeriodSeconds).toBe(55);
    expect(podSpecOf(deployment('defaults', 'edge')).terminationGracePeriodSeconds).toBe(35);
  });

  it('wires NATS from a Secret, OpenTelemetry, and the services’ extra variables', () => {
    for (const service of SERVICES) {
      const container = containerOf(podSpecOf(deployment('everything set', service)));
      const nats = container.env?.find((e) => e.name === 'NATS_URL');
      expect(nats?.value).toBeUndefined();
      expect(nats?.valueFrom?.secretKeyRef).toEqual({ name: 'nats-credentials', key: 'url' });
      const env = envOf(container);
      expect(env.get('OTEL_EXPORTER_OTLP_ENDPOINT')).toBe('http://jaeger-collector.observability:4318');
      expect(env.get('OTEL_SERVICE_NAME')).toBe(service);
      expect(env.get('OTEL_TRACES_SAMPLER')).toBe('parentbased_traceidratio');
      expect(env.get('OTEL_TRACES_SAMPLER_ARG')).toBe('0.05');
      expect(env.get('LOG_LEVEL')).toBe('debug');
      const defaults = envOf(containerOf(podSpecOf(deployment('defaults', service))));
      expect(defaults.get('NATS_URL')).toBe('nats://nats:4222');
      expect(defaults.has('OTEL_EXPORTER_OTLP_ENDPOINT')).toBe(false);
      expect(defaults.get('OTEL_SERVICE_NAME')).toBe(service);
    }
    expect(envOf(containerOf(podSpecOf(deployment('everything set', 'edge')))).get('EDGE_SMPP_WINDOW')).toBe(
      '200',
    );
    expect(
      envOf(containerOf(podSpecOf(deployment('everything set', 'connector')))).get('CONNECTOR_NAME'),
    ).toBe('sim-eu');
    // The front door's caps (services/edge/README.md "Front door").
    const edgeEnv = envOf(containerOf(podSpecOf(deployment('everything set', 'edge'))));
    expect(edgeEnv.get('EDGE_MAX_CONNECTIONS')).toBe('2000');
    expect(edgeEnv.get('EDGE_MAX_CONNECTIONS_PER_ADDRESS')).toBe('50');
    expect(edgeEnv.get('EDGE_MAX_UNBOUND_CONNECTIONS')).toBe('300');
    expect(edgeEnv.get('EDGE_SMPP_TLS_HANDSHAKE_TIMEOUT')).toBe('5s');
    expect(
      envOf(containerOf(podSpecOf(deployment('defaults', 'edge')))).has('EDGE_SMPP_TLS_HANDSHAKE_TIMEOUT'),
    ).toBe(false);
    // One value for both ends of the DLR window: the edge's real one and the dispatchers' estimate.
    for (const [set, window] of [
      ['defaults', '10'],
      ['everything set', '50'],
    ] as const) {
      expect(envOf(containerOf(podSpecOf(deployment(set, 'edge')))).get('DELIVER_WINDOW')).toBe(window);
      expect(envOf(containerOf(podSpecOf(deployment(set, 'dlr-dispatcher')))).get('DELIVER_WINDOW')).toBe(
        window,
      );
    }
    expect(
      ofKind(objectsOf('everything set'), 'PodDisruptionBudget').map((p) => p.metadata.name),
    ).not.toContain('smsgw-router');
  });

  it('deploys each connector of the list with its name, driver, settings, credentials from a Secret, replicas and resources', () => {
    const objects = objectsOf('everything set');
    const eu = deployment('everything set', 'connector', 'sim-eu');
    const upstream = deployment('everything set', 'connector', 'upstream');
    const euEnv = envOf(containerOf(podSpecOf(eu)));
    expect([euEnv.get('CONNECTOR_NAME'), euEnv.get('CONNECTOR_DRIVER'), euEnv.get('SERVICE_NAME')]).toEqual([
      'sim-eu',
      'sim',
      'connector',
    ]);
    expect([
      euEnv.get('CONNECTOR_SIM_DELAY'),
      euEnv.get('CONNECTOR_TRY_NEXT_STATUSES'),
      euEnv.get('CONNECTOR_MAX_IN_FLIGHT'),
    ]).toEqual(['0', '0x45,0x58', '32']);
    expect(eu.spec?.replicas).toBe(1);
    const up = containerOf(podSpecOf(upstream));
    expect(up.env?.find((e) => e.name === 'CONNECTOR_SMPP_PASSWORD')).toEqual({
      name: 'CONNECTOR_SMPP_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'upstream-smpp', key: 'password' } },
    });
    expect(envOf(up).get('CONNECTOR_NAME')).toBe('upstream');
    expect(upstream.spec?.replicas).toBe(2);
    expect(up.resources?.limits?.['memory']).toBe('192Mi');
    expect(containerOf(podSpecOf(eu)).resources?.limits?.['memory']).toBe('384Mi');
    // Each its own pods: selectors that do not overlap, and a PDB each.
    expect(eu.spec?.selector.matchLabels).not.toEqual(upstream.spec?.selector.matchLabels);
    const pdbs = ofKind(objects, 'PodDisruptionBudget') as unknown as IPodDisruptionBudget[];
    for (const d of [eu, upstream]) {
      expect(pdbs.find((p) => p.metadata?.name === d.metadata?.name)?.spec?.selector?.matchLabels).toEqual(
        d.spec?.selector.matchLabels,
      );
    }
    expect(deployment('defaults', 'connector').metadata?.name).toBe('smsgw-connector-sim');
  });

  it('defaults to production-safe settings: NATS replicas 3, 1 % of messages traced, no helm test Pod', async () => {
    const router = containerOf(podSpecOf(deployment('defaults', 'router')));
    expect(envOf(router).get('NATS_REPLICAS')).toBe('3');
    expect(ofKind(objectsOf('defaults'), 'Pod')).toHaveLength(0);
    const traced = await helmTemplate({ otel: { endpoint: 'http://collector:4318' } });
    const tracedRouter = named(traced, 'Deployment', 'smsgw-router') as unknown as IDeployment;
    expect(envOf(containerOf(podSpecOf(tracedRouter))).get('OTEL_TRACES_SAMPLER_ARG')).toBe('0.01');
  });

  it('refuses a plaintext password in accounts.items unless accounts.allowPlaintextPasswords', async () => {
    const items = [{ systemId: 'acme', password: ACCOUNT_PASSWORD }];
    await expect(helmTemplate({ accounts: { items } })).rejects.toThrow(
      /accounts.items\[0\] \(acme\) has a plaintext password/,
    );
    const hashed = [{ systemId: 'acme', passwordHash: 'scrypt$32768$8$1$c2FsdA==$aGFzaA==' }];
    await expect(helmTemplate({ accounts: { items: hashed } })).resolves.toBeDefined();
    await expect(helmTemplate({ accounts: { items, allowPlaintextPasswords: true } })).resolves.toBeDefined();
  });

  it('refuses a connector listed twice', async () => {
    await expect(
      helmTemplate({
        connectors: [
          { name: 'sim', driver: 'sim' },
          { name: 'sim', driver: 'sim' },
        ],
      }),
    ).rejects.toThrow(/sim is listed twice/);
  });

  it('applies accounts with a post-install/post-upgrade hook Job reading Secrets only', () => {
    // The only Job of a default release provisions the topology; accounts need declaring.
    expect(ofKind(objectsOf('defaults'), 'Job').map((j) => j.metadata.name)).toEqual(['smsgw-topology']);
    expect(ofKind(objectsOf('defaults'), 'Secret')).toEqual([]);

    const objects = objectsOf('everything set');
    const job = named(objects, 'Job', 'smsgw-accounts') as unknown as IJob;
    expect(job.metadata?.annotations).toMatchObject({
      'helm.sh/hook': 'post-install,post-upgrade',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
    });
    const pod = podSpecOf(job);
    expect(pod.restartPolicy).toBe('Never');
    const container = containerOf(pod);
    expect(container.args).toEqual([
      'smsgw',
      'accounts',
      'apply',
      '--file',
      '/etc/smsgw/accounts/values/accounts.json',
      '--file',
      '/etc/smsgw/accounts/existing/accounts.yaml',
      '--prune',
    ]);
    const mounts = new Map((container.volumeMounts ?? []).map((m) => [m.name, m.mountPath]));
    const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v.secret?.secretName]));
    expect(mounts.get('accounts-values')).toBe('/etc/smsgw/accounts/values');
    expect(volumes.get('accounts-values')).toBe('smsgw-accounts');
    expect(mounts.get('accounts-existing')).toBe('/etc/smsgw/accounts/existing');
    expect(volumes.get('accounts-existing')).toBe('more-accounts');

    const secret = named(objects, 'Secret', 'smsgw-accounts') as unknown as ISecret;
    const file = JSON.parse(
      Buffer.from(secret.data?.['accounts.json'] ?? '', 'base64').toString('utf8'),
    ) as unknown;
    expect(file).toEqual({ accounts: VALUE_SETS['everything set'].accounts.items });
  });

  it('provisions the topology with a hook Job, the one place the DLR backlog limits are set', async () => {
    const limitsOf = (objects: readonly K8sObject[]): Record<string, string | undefined> => {
      const job = named(objects, 'Job', 'smsgw-topology') as unknown as IJob;
      const container = containerOf(podSpecOf(job));
      expect(container.args).toEqual(['smsgw', 'topology', 'apply']);
      expect(job.metadata?.annotations?.['helm.sh/hook']).toBe('post-install,post-upgrade');
      const env = envOf(container);
      expect(env.has('NATS_URL')).toBe(true);
      return Object.fromEntries(
        ['DLR_BACKLOG_MAX', 'DLR_PRIORITY_BACKLOG_MAX', 'DLR_BACKLOG_MAX_AGE'].map((n) => [n, env.get(n)]),
      );
    };
    expect(limitsOf(objectsOf('defaults'))).toEqual({
      DLR_BACKLOG_MAX: undefined,
      DLR_PRIORITY_BACKLOG_MAX: undefined,
      DLR_BACKLOG_MAX_AGE: undefined,
    });
    expect(limitsOf(objectsOf('everything set'))).toEqual({
      DLR_BACKLOG_MAX: '10000',
      DLR_PRIORITY_BACKLOG_MAX: '100',
      DLR_BACKLOG_MAX_AGE: '24h',
    });
    // Where the limits were set before (the dispatchers' env) still counts, for an upgrade.
    const upgraded = await helmTemplate({ dlrDispatcher: { env: { DLR_BACKLOG_MAX: '5000' } } });
    expect(limitsOf(upgraded)['DLR_BACKLOG_MAX']).toBe('5000');
    // The cap alert follows the same value.
    const alerted = await helmTemplate({
      topology: { dlrBacklog: { max: 1000 } },
      monitoring: { prometheusRule: { enabled: true } },
    });
    expect(JSON.stringify(ofKind(alerted, 'PrometheusRule'))).toContain('> 800');
    const off = await helmTemplate({ topology: { job: { enabled: false } } });
    expect(ofKind(off, 'Job')).toEqual([]);
  });

  it('gives the topology Job the connector bucket TTLs, falling back to what the connectors said before', async () => {
    const ttlsOf = (objects: readonly K8sObject[]): Record<string, string | undefined> => {
      const env = envOf(containerOf(podSpecOf(named(objects, 'Job', 'smsgw-topology') as unknown as IJob)));
      return Object.fromEntries(
        ['CONNECTOR_SMPP_UPSTREAM_ID_TTL', 'CONNECTOR_HEALTH_TTL'].map((n) => [n, env.get(n)]),
      );
    };
    expect(ttlsOf(objectsOf('defaults'))).toEqual({
      CONNECTOR_SMPP_UPSTREAM_ID_TTL: undefined,
      CONNECTOR_HEALTH_TTL: undefined,
    });
    expect(ttlsOf(objectsOf('everything set'))).toEqual({
      CONNECTOR_SMPP_UPSTREAM_ID_TTL: '72h',
      CONNECTOR_HEALTH_TTL: '15s',
    });
    // An upgrade keeps the TTLs the connectors applied: connector.env first, then the entries' settings, old names too.
    const upgraded = await helmTemplate({
      connector: { env: { CONNECTOR_HEALTH_TTL_MS: '20000' } },
      connectors: [
        { name: 'sim', driver: 'sim', settings: { CONNECTOR_HEALTH_TTL: '9s' } },
        {
          name: 'upstream',
          driver: 'smpp',
          settings: {
            CONNECTOR_SMPP_HOST: 'smsc.example.com',
            CONNECTOR_SMPP_SYSTEM_ID: 'esme',
            CONNECTOR_SMPP_UPSTREAM_ID_TTL: '96h',
          },
        },
      ],
    });
    expect(ttlsOf(upgraded)).toEqual({
      CONNECTOR_SMPP_UPSTREAM_ID_TTL: '96h',
      CONNECTOR_HEALTH_TTL: '20000',
    });
    const chosen = await helmTemplate({
      topology: { connectorBuckets: { healthTtl: '45s' } },
      connector: { env: { CONNECTOR_HEALTH_TTL: '20s' } },
    });
    expect(ttlsOf(chosen)['CONNECTOR_HEALTH_TTL']).toBe('45s');
  });

  it('tells in NOTES.txt how to connect', async () => {
    const plain = await helmNotes();
    expect(plain).toContain('kubectl -n sms get service smsgw-edge');
    expect(plain).toContain('$EDGE:2775');
    expect(plain).toContain('`helm test` is off (tests.enabled)');
    expect(plain).not.toContain('8775');
    expect(await helmNotes({ tests: { enabled: true } })).toContain('helm test smsgw');
    const tls = await helmNotes(VALUE_SETS['cert-manager']);
    expect(tls).toContain('$EDGE:8775');
    expect(tls).toContain('smpp.example.com');
  });
});
