import {
  jetstream,
  jetstreamManager,
  type ConsumerInfo,
  type JetStreamClient,
  type JetStreamManager,
  type StreamInfo,
} from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { ensureConnectorHealthBucket, ensureUpstreamIdsBucket } from './connector-bucket-ttls.ts';
import { ensureConsumer, ensureStream, type EnsureMode } from './ensure.ts';
import { TopologyError } from './errors.ts';
import {
  BucketName,
  PRIORITIES,
  STREAM_LIMIT_FIELDS,
  StreamName,
  TOPOLOGY_OWNERS,
  TopologyOwnership,
  bucketSpecs,
  connectorLaneConsumerSpec,
  dlrAccountConsumerSpec,
  dlrAccountLanes,
  dlrDispatcherLaneConsumerSpec,
  dlrDispatcherLanes,
  moDispatcherConsumerSpec,
  mayUpdate,
  resolveTopologyOptions,
  routerLaneConsumerSpec,
  routerLanes,
  streamSpecs,
  type BucketKey,
  type ConsumerSpec,
  type Priority,
  type ResolvedTopologyOptions,
  type StreamKey,
  type TopologyCaller,
  type TopologyOptions,
  type TopologyOwner,
} from './topology.ts';

/** TopologyOptions plus who is asking: which objects the call may update (see TopologyOwnership). */
export interface EnsureTopologyOptions extends TopologyOptions {
  /**
   * The calling service, `'provisioner'` to apply the stream limits, `'all'` to reconcile
   * everything, or `'none'` to only create what is missing (TopologyCaller).
   */
  readonly owner: TopologyCaller;
}

const CALLER_KINDS = ['provisioner', 'all', 'none'] as const;

function checkCaller(owner: TopologyCaller): TopologyCaller {
  // Guards callers outside the type checker (a value from config or the environment).
  if (
    !(CALLER_KINDS as readonly string[]).includes(owner) &&
    !(TOPOLOGY_OWNERS as readonly string[]).includes(owner)
  ) {
    throw new TopologyError(
      `owner must be one of ${[...TOPOLOGY_OWNERS, ...CALLER_KINDS].join(', ')}, not ${JSON.stringify(owner)}`,
    );
  }
  return owner;
}

function modeFor(caller: TopologyCaller, owner: TopologyOwner): EnsureMode {
  return { update: mayUpdate(caller, owner) };
}

/**
 * How a caller treats an existing stream: its limits (STREAM_LIMIT_FIELDS) are
 * the provisioner's alone (and 'all''s), everything else its owner's.
 */
function streamModeFor(caller: TopologyCaller, owner: TopologyOwner): EnsureMode {
  if (caller === 'provisioner') return { update: true, only: STREAM_LIMIT_FIELDS };
  if (caller === 'all') return { update: true };
  return { update: mayUpdate(caller, owner), keep: STREAM_LIMIT_FIELDS };
}

/** What ensureTopology() leaves in place, with handles to use it. */
export interface Topology {
  /** The caller's options, defaults filled in; objects other services own may differ (see streams, consumers). */
  readonly options: ResolvedTopologyOptions;
  /** The connection given. */
  readonly nc: NatsConnection;
  /** JetStream manager on the connection given. */
  readonly jsm: JetStreamManager;
  /** JetStream client on the connection given. */
  readonly js: JetStreamClient;
  /** Each stream as the server now has it. */
  readonly streams: Readonly<Record<StreamKey, StreamInfo>>;
  /** The static consumers (router, dlr-dispatcher, the lanes of the connectors asked for), by durable name. */
  readonly consumers: Readonly<Record<string, ConsumerInfo>>;
  /** The KV buckets. */
  readonly kv: Readonly<Record<BucketKey, KV>>;
}

function keyed<K extends string, V>(keys: readonly K[], values: readonly V[]): Record<K, V> {
  return Object.fromEntries(keys.map((k, i) => [k, values[i]])) as Record<K, V>;
}

/**
 * Creates every missing stream, KV bucket and static consumer, and updates the
 * existing ones that `owner` owns (TopologyOwnership), idempotently: each
 * service may call it at startup, in any order, several at once (see ensure.ts
 * for how races resolve). An option changed since the last call is applied to
 * the objects the caller owns; those of other services keep their owner's
 * settings, whatever this caller's options say. Stream limits (the DLR
 * backlogs' dlrBacklogMax, dlrPriorityBacklogMax, dlrMaxAgeMs) are set when a
 * stream is created and afterwards only by the `'provisioner'` (or `'all'`):
 * a service's options never change them. The provisioner also creates the
 * connectors' `upstream-ids` and `connectors` buckets and applies their TTLs
 * (upstreamIdTtlMs, connectorHealthTtlMs), which connectors only read; the
 * services leave those buckets to the connector (connector-bucket-ttls.ts).
 * Per-account DLR consumers are made on demand with ensureDlrConsumer.
 */
export async function ensureTopology(nc: NatsConnection, options: EnsureTopologyOptions): Promise<Topology> {
  const caller = checkCaller(options.owner);
  const o = resolveTopologyOptions(options);
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);

  const streamSpecsByKey = streamSpecs(o);
  const bucketSpecsByKey = bucketSpecs(o);
  const streamKeys = Object.keys(streamSpecsByKey) as StreamKey[];
  const bucketKeys = Object.keys(bucketSpecsByKey) as BucketKey[];
  const provisioned =
    caller === 'provisioner'
      ? [
          ensureUpstreamIdsBucket(jsm, { owner: caller, replicas: o.replicas, ttlMs: o.upstreamIdTtlMs }),
          ensureConnectorHealthBucket(jsm, {
            owner: caller,
            replicas: o.replicas,
            ttlMs: o.connectorHealthTtlMs,
          }),
        ]
      : [];
  const [streamInfos] = await Promise.all([
    Promise.all(
      streamKeys.map((k) =>
        ensureStream(jsm, streamSpecsByKey[k], streamModeFor(caller, TopologyOwnership.streams[k])),
      ),
    ),
    Promise.all(
      bucketKeys.map((k) =>
        ensureStream(jsm, bucketSpecsByKey[k], modeFor(caller, TopologyOwnership.buckets[k])),
      ),
    ),
    Promise.all(provisioned),
  ]);

  const owners = TopologyOwnership.consumers;
  const consumerJobs: [string, ConsumerSpec, TopologyOwner][] = [
    ...routerLanes().map((lane): [string, ConsumerSpec, TopologyOwner] => [
      lane.stream,
      routerLaneConsumerSpec(lane.priority, o),
      owners.router,
    ]),
    ...dlrDispatcherLanes().map((lane): [string, ConsumerSpec, TopologyOwner] => [
      lane.stream,
      dlrDispatcherLaneConsumerSpec(lane.priority, o),
      owners.dlrDispatcher,
    ]),
    [StreamName.mo, moDispatcherConsumerSpec(o), owners.moDispatcher],
    ...o.connectors.flatMap((c) =>
      PRIORITIES.map((p): [string, ConsumerSpec, TopologyOwner] => [
        StreamName.route,
        connectorLaneConsumerSpec(c, p, o),
        owners.connectorLane,
      ]),
    ),
  ];
  const consumerInfos = await Promise.all(
    consumerJobs.map(([stream, spec, owner]) => ensureConsumer(jsm, stream, spec, modeFor(caller, owner))),
  );

  const kvm = new Kvm(js);
  const buckets = await Promise.all(bucketKeys.map((k) => kvm.open(BucketName[k])));
  return {
    options: o,
    nc,
    jsm,
    js,
    streams: keyed(streamKeys, streamInfos),
    consumers: Object.fromEntries(consumerInfos.map((ci) => [ci.name, ci])),
    kv: keyed(bucketKeys, buckets),
  };
}

/**
 * Creates the DLR consumer of one account and priority, `dlr-<account>` on
 * SMS_DLR (priority 0) or `dlr-<account>-p<prio>` on SMS_DLR_PRIORITY, or
 * updates it when `owner` is its owner (dlr-dispatcher, or 'all'). Call it when
 * the account's first receiver binds; the server deletes it after
 * dlrInactiveThresholdMs without pulls, leaving its DLRs in place.
 */
export async function ensureDlrConsumer(
  jsm: JetStreamManager,
  account: string,
  options: EnsureTopologyOptions,
  priority: Priority = 0,
): Promise<ConsumerInfo> {
  const caller = checkCaller(options.owner);
  const lane = dlrAccountLanes(account)[priority];
  if (lane === undefined) throw new TopologyError(`priority must be 0..3, not ${priority}`);
  return await ensureConsumer(
    jsm,
    lane.stream,
    dlrAccountConsumerSpec(account, resolveTopologyOptions(options), priority),
    modeFor(caller, TopologyOwnership.consumers.dlrAccount),
  );
}

/**
 * Creates the four lane consumers of one connector on SMS_ROUTE, priority 0
 * first, or updates them when `owner` is their owner (connector, or 'all').
 */
export async function ensureConnectorLanes(
  jsm: JetStreamManager,
  connector: string,
  options: EnsureTopologyOptions,
): Promise<ConsumerInfo[]> {
  const caller = checkCaller(options.owner);
  const o = resolveTopologyOptions(options);
  const mode = modeFor(caller, TopologyOwnership.consumers.connectorLane);
  return await Promise.all(
    PRIORITIES.map((p) =>
      ensureConsumer(jsm, StreamName.route, connectorLaneConsumerSpec(connector, p, o), mode),
    ),
  );
}
