/**
 * The TTLs of the connectors' two KV buckets, `upstream-ids` and `connectors`
 * (health): set by the provisioner (docs/configuration.md, "Stream limits"),
 * created with a connector's value only when missing, and read back from the
 * bucket by every connector replica instead of each applying its own.
 */
import type { JetStreamManager, StreamConfig, StreamInfo } from '@nats-io/jetstream';
import { millis } from '@nats-io/transport-node';
import { ensureStream, type EnsureMode } from './ensure.ts';
import {
  BUCKET_TTL_FIELDS,
  ConnectorHealthBucket,
  UPSTREAM_IDS_BUCKET,
  UPSTREAM_IDS_OWNER,
  connectorHealthBucketSpec,
  kvStreamName,
  mayUpdate,
  upstreamIdsBucketSpec,
  type TopologyCaller,
  type TopologyOwner,
} from './topology.ts';

/** The two TTLs, in TopologyOptions' terms (milliseconds). */
export interface ConnectorBucketTtls {
  /** The `upstream-ids` bucket's: how long an upstream id → envelope mapping is kept. */
  readonly upstreamIdTtlMs: number;
  /** The `connectors` bucket's: how long a health entry lives unless rewritten. */
  readonly connectorHealthTtlMs: number;
}

/** Options of ensureUpstreamIdsBucket and ensureConnectorHealthBucket. */
export interface ConnectorBucketOptions {
  /** Who is asking: the TTL is changed only by 'provisioner' (or 'all'), other settings by the owner too. */
  readonly owner: TopologyCaller;
  /** Stream replicas of a bucket it creates (default 1). */
  readonly replicas?: number;
  /** TTL of a bucket it creates; applied to an existing one only by 'provisioner' or 'all'. */
  readonly ttlMs?: number;
}

/** A bucket's TTL in milliseconds: its stream's max_age (0: entries never expire). */
export function bucketTtlMsOf(config: Pick<StreamConfig, 'max_age'>): number {
  return millis(config.max_age);
}

/** How `caller` treats an existing bucket whose TTL is the provisioner's. */
function ttlModeFor(caller: TopologyCaller, owner: TopologyOwner): EnsureMode {
  if (caller === 'provisioner') return { update: true, only: BUCKET_TTL_FIELDS };
  if (caller === 'all') return { update: true };
  return { update: mayUpdate(caller, owner), keep: BUCKET_TTL_FIELDS };
}

/** Creates the upstream ids bucket when missing (its TTL: `ttlMs`), else applies what `owner` may; returns it as the server has it. */
export async function ensureUpstreamIdsBucket(
  jsm: JetStreamManager,
  options: ConnectorBucketOptions,
): Promise<StreamInfo> {
  return await ensureStream(
    jsm,
    upstreamIdsBucketSpec(options.replicas ?? 1, options.ttlMs),
    ttlModeFor(options.owner, UPSTREAM_IDS_OWNER),
  );
}

/** Creates the connectors health bucket when missing (its TTL: `ttlMs`), else applies what `owner` may; returns it as the server has it. */
export async function ensureConnectorHealthBucket(
  jsm: JetStreamManager,
  options: ConnectorBucketOptions,
): Promise<StreamInfo> {
  return await ensureStream(
    jsm,
    connectorHealthBucketSpec(options.replicas ?? 1, options.ttlMs),
    ttlModeFor(options.owner, ConnectorHealthBucket.owner),
  );
}

/** The TTL the connectors health bucket has now, in milliseconds (one stream info request). */
export async function readConnectorHealthTtl(jsm: JetStreamManager): Promise<number> {
  return bucketTtlMsOf((await jsm.streams.info(kvStreamName(ConnectorHealthBucket.name))).config);
}

/** The TTLs both buckets have now (two stream info requests; both must exist). */
export async function readConnectorBucketTtls(jsm: JetStreamManager): Promise<ConnectorBucketTtls> {
  const [upstreamIds, health] = await Promise.all([
    jsm.streams.info(kvStreamName(UPSTREAM_IDS_BUCKET)),
    jsm.streams.info(kvStreamName(ConnectorHealthBucket.name)),
  ]);
  return {
    upstreamIdTtlMs: bucketTtlMsOf(upstreamIds.config),
    connectorHealthTtlMs: bucketTtlMsOf(health.config),
  };
}
