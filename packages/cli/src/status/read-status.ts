/**
 * What `smsgw status` reads, all from NATS and nothing changed: the streams'
 * depths, the consumers' lags grouped by stage (submit and status lanes by
 * priority, route lanes by connector and priority), each account's DLR
 * backlog with its oldest report's age, the edge pods holding receivers of
 * each account (presence) and every connector replica with its health and
 * upstream sessions (the connectors bucket). Every name comes from
 * @smsgw/nats' topology.
 */
import { JetStreamApiError, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  BucketName,
  ConnectorHealthBucket,
  StreamName,
  decodeConnectorHealthEntry,
  decodePresenceEntry,
  dlrDispatcherLanes,
  kvStreamName,
  parseRouteSubject,
  readConsumerLags,
  readDlrBacklogs,
  readStreamDepths,
  routerLanes,
  TopologyError,
  type ConsumerLag,
  type DlrBacklog,
  type PriorityLane,
  type StreamDepth,
} from '@smsgw/nats';

/** The JetStream API's "stream not found" error code. */
const STREAM_NOT_FOUND = 10059;

/** One consumer lane's lag, with where it sits. */
export interface LaneLag {
  readonly stage: 'submit' | 'route' | 'status';
  readonly priority: number;
  /** The connector of a route lane. */
  readonly connector?: string;
  readonly stream: string;
  readonly consumer: string;
  readonly pending: number;
  readonly ackPending: number;
  readonly redelivered: number;
  /** Pull requests waiting: readers attached now. */
  readonly readers: number;
}

/** An edge pod and the accounts whose receivers it holds. */
export interface EdgePod {
  readonly pod: string;
  readonly grpcAddress: string;
  /** Receiver and transceiver sessions bound there, by account. */
  readonly accounts: readonly { readonly account: string; readonly receivers: number }[];
}

/** One connector replica as its health entry says. */
export interface ConnectorReplica {
  readonly pod: string;
  readonly ready: boolean;
  /** Since when `ready` has had its value. */
  readonly since: string;
  /** Whether the entry is older than its TTL (the replica stopped refreshing it: gone or stuck). */
  readonly stale: boolean;
  /** Upstream sessions (smpp driver). */
  readonly sessions?: { readonly bound: number; readonly configured: number };
}

/** A connector: its replicas and its lanes' lag. */
export interface ConnectorStatus {
  readonly connector: string;
  readonly replicas: readonly ConnectorReplica[];
  /** Messages waiting in its four lanes. */
  readonly pending: number;
}

/** Everything `smsgw status` shows. */
export interface SystemStatus {
  readonly at: string;
  readonly streams: readonly StreamDepth[];
  readonly lanes: readonly LaneLag[];
  readonly dlrBacklog: readonly DlrBacklog[];
  readonly edges: readonly EdgePod[];
  readonly connectors: readonly ConnectorStatus[];
}

function isStreamNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === STREAM_NOT_FOUND;
}

/** The bucket's entries (key → value), or none when the bucket does not exist yet. */
async function entries(jsm: JetStreamManager, kv: KV, bucket: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  try {
    // A bucket no service created yet has no stream: bind() does not check, keys() would fail obscurely.
    await jsm.streams.info(kvStreamName(bucket));
  } catch (error) {
    if (isStreamNotFound(error)) return out;
    throw error;
  }
  for await (const key of await kv.keys()) {
    const entry = await kv.get(key);
    if (entry !== null && entry.operation === 'PUT') out.set(key, entry.value);
  }
  return out;
}

function laneOf(lanes: readonly PriorityLane[], lag: ConsumerLag): PriorityLane | undefined {
  return lanes.find((l) => l.stream === lag.stream && l.consumer === lag.consumer);
}

function laneLag(lag: ConsumerLag, stage: LaneLag['stage'], priority: number, connector?: string): LaneLag {
  return {
    stage,
    priority,
    ...(connector === undefined ? {} : { connector }),
    stream: lag.stream,
    consumer: lag.consumer,
    pending: lag.pending,
    ackPending: lag.ackPending,
    redelivered: lag.redelivered,
    readers: lag.waiting,
  };
}

/** The submit, route and status lanes among the consumers, in that order, by priority. */
function lanesOf(lags: readonly ConsumerLag[]): LaneLag[] {
  const submit = routerLanes();
  const status = dlrDispatcherLanes();
  const out: LaneLag[] = [];
  for (const lag of lags) {
    const s = laneOf(submit, lag);
    if (s !== undefined) {
      out.push(laneLag(lag, 'submit', s.priority));
      continue;
    }
    const st = laneOf(status, lag);
    if (st !== undefined) {
      out.push(laneLag(lag, 'status', st.priority));
      continue;
    }
    if (lag.stream === StreamName.route && lag.filterSubject !== undefined) {
      try {
        const { connector, priority } = parseRouteSubject(lag.filterSubject);
        out.push(laneLag(lag, 'route', priority, connector));
      } catch (error) {
        // Not one of ours (someone's ad-hoc consumer): not a lane.
        if (!(error instanceof TopologyError)) throw error;
      }
    }
  }
  const stageOrder = { submit: 0, route: 1, status: 2 } as const;
  return out.sort(
    (a, b) =>
      stageOrder[a.stage] - stageOrder[b.stage] ||
      (a.connector ?? '').localeCompare(b.connector ?? '') ||
      a.priority - b.priority,
  );
}

function edgesOf(presence: ReadonlyMap<string, Uint8Array>): EdgePod[] {
  const pods = new Map<string, { grpcAddress: string; accounts: { account: string; receivers: number }[] }>();
  for (const [key, value] of presence) {
    const entry = decodePresenceEntry(key, value);
    // A node-id lease, not a presence entry.
    if (entry === undefined) continue;
    const pod = pods.get(entry.pod) ?? { grpcAddress: entry.grpcAddress, accounts: [] };
    pod.accounts.push({ account: entry.account, receivers: entry.receivers });
    pods.set(entry.pod, pod);
  }
  return [...pods]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([pod, p]) => ({
      pod,
      grpcAddress: p.grpcAddress,
      accounts: p.accounts.sort((a, b) => a.account.localeCompare(b.account)),
    }));
}

function connectorsOf(
  health: ReadonlyMap<string, Uint8Array>,
  lanes: readonly LaneLag[],
  now: number,
): ConnectorStatus[] {
  const byConnector = new Map<string, ConnectorReplica[]>();
  for (const [key, value] of health) {
    const e = decodeConnectorHealthEntry(key, value);
    const replicas = byConnector.get(e.connector) ?? [];
    replicas.push({
      pod: e.pod,
      ready: e.ready,
      since: e.since,
      stale: now - Date.parse(e.updatedAt) > e.ttlMs,
      ...(e.sessions === undefined ? {} : { sessions: e.sessions }),
    });
    byConnector.set(e.connector, replicas);
  }
  // A connector with lanes but no replica announcing itself is shown too: its messages wait.
  for (const lane of lanes) {
    if (lane.connector !== undefined && !byConnector.has(lane.connector)) byConnector.set(lane.connector, []);
  }
  return [...byConnector]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([connector, replicas]) => ({
      connector,
      replicas: replicas.sort((a, b) => a.pod.localeCompare(b.pod)),
      pending: lanes
        .filter((l) => l.connector === connector)
        .reduce((sum, l) => sum + l.pending + l.ackPending, 0),
    }));
}

/** Reads the system's state from NATS. */
export async function readSystemStatus(nc: NatsConnection, now = Date.now()): Promise<SystemStatus> {
  const jsm = await jetstreamManager(nc);
  const kvm = new Kvm(nc);
  const streams = await readStreamDepths(jsm, undefined, now);
  const lags = await readConsumerLags(jsm, [
    StreamName.submit,
    StreamName.submitPriority,
    StreamName.route,
    StreamName.status,
    StreamName.statusPriority,
  ]);
  const lanes = lanesOf(lags);
  const dlrBacklog = await readDlrBacklogs(jsm, { now });
  const presence = await entries(jsm, await kvm.open(BucketName.presence), BucketName.presence);
  const health = await entries(jsm, await kvm.open(ConnectorHealthBucket.name), ConnectorHealthBucket.name);
  return {
    at: new Date(now).toISOString(),
    streams,
    lanes,
    dlrBacklog,
    edges: edgesOf(presence),
    connectors: connectorsOf(health, lanes, now),
  };
}
