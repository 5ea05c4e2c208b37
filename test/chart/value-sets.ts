/**
 * The value sets the chart tests render: the defaults and the configurations the issue names
 * (TLS from a Secret, cert-manager, three replicas), plus one with every optional input set.
 */

/** A password that must never appear outside a Secret. */
export const ACCOUNT_PASSWORD = 'Pw5ecr3t';

/** The value sets, by name. */
export const VALUE_SETS = {
  defaults: {},
  'tls from a Secret': { tls: { enabled: true, existingSecret: 'smpp-tls' } },
  'cert-manager': {
    tls: {
      enabled: true,
      certManager: {
        enabled: true,
        issuerRef: { name: 'letsencrypt' },
        dnsNames: ['smpp.example.com', 'smpp-tls.example.com'],
      },
    },
  },
  'helm test with a throw-away account': { tests: { enabled: true } },
  'replicas 3': {
    nats: { replicas: 3 },
    edge: { replicas: 3, antiAffinity: 'hard' },
    router: { replicas: 3 },
    connector: { replicas: 3 },
    dlrDispatcher: { replicas: 3 },
  },
  'everything set': {
    nats: { existingSecret: 'nats-credentials', existingSecretKey: 'url' },
    otel: { endpoint: 'http://jaeger-collector.observability:4318', sampleRatio: 0.05 },
    deliverWindow: 50,
    logLevel: 'debug',
    imagePullSecrets: [{ name: 'regcred' }],
    podAnnotations: { 'example.com/team': 'sms' },
    podLabels: { team: 'sms' },
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'sms', effect: 'NoSchedule' }],
    priorityClassName: 'high',
    serviceAccount: { annotations: { 'example.com/role': 'none' } },
    edge: {
      env: { EDGE_SMPP_WINDOW: '200', EDGE_DRAIN_UNBIND_TIMEOUT: '8s' },
      connections: { max: 2000, perAddress: 50, unbound: 300, tlsHandshakeTimeout: '5s' },
      shutdownGraceMs: 40_000,
      preStopSeconds: 10,
      pdb: { maxUnavailable: '25%' },
      service: {
        annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' },
        loadBalancerSourceRanges: ['203.0.113.0/24'],
        loadBalancerClass: 'service.k8s.aws/nlb',
      },
    },
    router: { env: { ROUTER_CONCURRENCY: '128' }, pdb: { enabled: false } },
    connector: { env: { CONNECTOR_MAX_IN_FLIGHT: '32' } },
    connectors: [
      {
        name: 'sim-eu',
        driver: 'sim',
        settings: { CONNECTOR_SIM_DELAY: '0', CONNECTOR_TRY_NEXT_STATUSES: '0x45,0x58' },
      },
      {
        name: 'upstream',
        driver: 'smpp',
        replicas: 2,
        settings: {
          CONNECTOR_SMPP_HOST: 'smsc.example.com',
          CONNECTOR_SMPP_SYSTEM_ID: 'esme',
          CONNECTOR_SMPP_TPS: '200',
          CONNECTOR_SMPP_TPS_SHARE: '2',
        },
        resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { memory: '192Mi' } },
        credentials: { CONNECTOR_SMPP_PASSWORD: { secretName: 'upstream-smpp', key: 'password' } },
      },
    ],
    dlrDispatcher: { env: { DLR_PUSH_ATTEMPTS: '5' } },
    topology: {
      dlrBacklog: { max: 10000, priorityMax: 100, maxAge: '24h' },
      connectorBuckets: { upstreamIdTtl: '72h', healthTtl: '15s' },
    },
    monitoring: {
      podMonitor: { enabled: true, interval: '15s', scrapeTimeout: '5s', labels: { release: 'prom' } },
      prometheusRule: { enabled: true, labels: { release: 'prom' }, additionalLabels: { team: 'sms' } },
      dashboard: { enabled: true, annotations: { grafana_folder: 'SMS' } },
    },
    tests: { enabled: true, existingSecret: 'smsgw-test-account' },
    accounts: {
      allowPlaintextPasswords: true,
      items: [
        { systemId: 'acme', password: ACCOUNT_PASSWORD, maxBinds: 4, approvedPriorities: [0, 1] },
        {
          systemId: 'beta',
          passwordHash:
            'scrypt$32768$8$1$q3xs0Y6S2mJ3a1a7v9hQAg==$2FhAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
        },
      ],
      existingSecret: 'more-accounts',
      existingSecretKey: 'accounts.yaml',
      prune: true,
    },
  },
} as const;

/** The connectors a value set deploys, in order (the chart's default: just sim). */
export function connectorNames(set: keyof typeof VALUE_SETS): string[] {
  const values = VALUE_SETS[set] as { readonly connectors?: readonly { readonly name: string }[] };
  return values.connectors?.map((c) => c.name) ?? ['sim'];
}

/** A value set's name. */
export type ValueSetName = keyof typeof VALUE_SETS;

/** Every value set's name. */
export const VALUE_SET_NAMES = Object.keys(VALUE_SETS) as ValueSetName[];
