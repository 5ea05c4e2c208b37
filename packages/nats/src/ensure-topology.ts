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
import { ensureConsumer, ensureStream } from './ensure.ts';
import {
  BucketName,
  PRIORITIES,
  StreamName,
  bucketSpecs,
  connectorLaneConsumerSpec,
  dlrAccountConsumerSpec,
  dlrDispatcherConsumerSpec,
  resolveTopologyOptions,
  routerConsumerSpec,
  streamSpecs,
  type BucketKey,
  type ConsumerSpec,
  type ResolvedTopologyOptions,
  type StreamKey,
  type TopologyOptions,
} from './topology.ts';

/** What ensureTopology() leaves in place, with handles to use it. */
export interface Topology {
  /** The options in force, defaults filled in. */
  readonly options: ResolvedTopologyOptions;
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
 * Creates or updates every stream, KV bucket and static consumer, idempotently:
 * each service may call it at startup, several at once (see ensure.ts for how
 * races resolve). An option changed since the last call is applied to the
 * existing objects. Per-account DLR consumers are made on demand with
 * ensureDlrConsumer.
 */
export async function ensureTopology(nc: NatsConnection, options: TopologyOptions = {}): Promise<Topology> {
  const o = resolveTopologyOptions(options);
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);

  const streamSpecsByKey = streamSpecs(o);
  const bucketSpecsByKey = bucketSpecs(o);
  const streamKeys = Object.keys(streamSpecsByKey) as StreamKey[];
  const bucketKeys = Object.keys(bucketSpecsByKey) as BucketKey[];
  const [streamInfos] = await Promise.all([
    Promise.all(streamKeys.map((k) => ensureStream(jsm, streamSpecsByKey[k]))),
    Promise.all(bucketKeys.map((k) => ensureStream(jsm, bucketSpecsByKey[k]))),
  ]);

  const consumerJobs: [string, ConsumerSpec][] = [
    [StreamName.submit, routerConsumerSpec(o)],
    [StreamName.status, dlrDispatcherConsumerSpec(o)],
    ...o.connectors.flatMap((c) =>
      PRIORITIES.map((p): [string, ConsumerSpec] => [StreamName.route, connectorLaneConsumerSpec(c, p, o)]),
    ),
  ];
  const consumerInfos = await Promise.all(
    consumerJobs.map(([stream, spec]) => ensureConsumer(jsm, stream, spec)),
  );

  const kvm = new Kvm(js);
  const buckets = await Promise.all(bucketKeys.map((k) => kvm.open(BucketName[k])));
  return {
    options: o,
    jsm,
    js,
    streams: keyed(streamKeys, streamInfos),
    consumers: Object.fromEntries(consumerInfos.map((ci) => [ci.name, ci])),
    kv: keyed(bucketKeys, buckets),
  };
}

/**
 * Creates (or updates) the DLR consumer of one account, `dlr-<account>` on
 * SMS_DLR. Call it when the account's first receiver binds; the server deletes
 * it after dlrInactiveThresholdMs without pulls, leaving its DLRs in place.
 */
export function ensureDlrConsumer(
  jsm: JetStreamManager,
  account: string,
  options: TopologyOptions = {},
): Promise<ConsumerInfo> {
  return ensureConsumer(
    jsm,
    StreamName.dlr,
    dlrAccountConsumerSpec(account, resolveTopologyOptions(options)),
  );
}

/** Creates (or updates) the four lane consumers of one connector on SMS_ROUTE, priority 0 first. */
export function ensureConnectorLanes(
  jsm: JetStreamManager,
  connector: string,
  options: TopologyOptions = {},
): Promise<ConsumerInfo[]> {
  const o = resolveTopologyOptions(options);
  return Promise.all(
    PRIORITIES.map((p) => ensureConsumer(jsm, StreamName.route, connectorLaneConsumerSpec(connector, p, o))),
  );
}
