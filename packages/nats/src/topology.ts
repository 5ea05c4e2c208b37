/**
 * The JetStream topology of smsgw, defined once: subjects, streams, consumers,
 * KV buckets and header names. Services build every subject and name through
 * this module; nothing else spells them.
 *
 * ```
 * edge ──sms.submit.<account>──> SMS_SUBMIT ──(router)──> router                      priority 0
 * edge ──sms.submit.<1..3>.<account>──> SMS_SUBMIT_PRIORITY ──(router-p<prio>)──> router
 * router ──sms.route.<connector>.<0..3>──> SMS_ROUTE ──(connector-<name>-p<prio>)──> connector
 * connector ──sms.status.<account>──> SMS_STATUS ──(dlr-dispatcher)──> dlr-dispatcher   priority 0
 * connector ──sms.status.<1..3>.<account>──> SMS_STATUS_PRIORITY ──(dlr-dispatcher-p<prio>)──> dlr-dispatcher
 * dlr-dispatcher ──sms.dlr.<account>──> SMS_DLR ──(dlr-<account>)──> dlr-dispatcher ──gRPC──> edge   priority 0
 * dlr-dispatcher ──sms.dlr.<1..3>.<account>──> SMS_DLR_PRIORITY ──(dlr-<account>-p<prio>)──> dlr-dispatcher
 * connector ──sms.mo.<account>──> SMS_MO ──(dlr-dispatcher-mo)──> dlr-dispatcher ──> the account's backlog (sms.dlr.<account>)
 * ```
 *
 * Priority at every stage (docs/architecture.md, "Priority end to end"):
 * priority 0 keeps the subject, stream and consumer it always had, so pods of
 * the previous version (which know only those) keep working beside new ones
 * during a rolling upgrade; priorities 1..3 get their own subjects,
 * `<root>.<prio>.<account>` (one token more, so they never overlap the
 * priority-0 ones), in a companion `*_PRIORITY` stream, one consumer per
 * priority. Readers serve them by strict priority (PriorityLanes).
 *
 * All four streams are WorkQueues: a message is deleted when its one consumer
 * acks it, which is what makes "a DLR leaves the backlog only after the
 * customer's deliver_sm_resp" hold (docs/architecture.md invariant 3). WorkQueue
 * consumers must not overlap, so SMS_ROUTE and SMS_DLR are read through one
 * filtered consumer per lane or account. Everything here works on
 * nats-server 2.9 (no per-message TTL, no multi-filter consumers, no 2.10-only
 * stream fields); 2.10+ is the production target.
 *
 * Account and connector names go through encodeSubjectToken (subject-token.ts)
 * so that any SMPP system_id is one safe subject token.
 */
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { TopologyError } from './errors.ts';
import { decodeSubjectToken, encodeSubjectToken } from './subject-token.ts';

/** Names of the four streams. */
export const StreamName = {
  /** Submits accepted by an edge (after the PubAck the customer gets ESME_ROK), for the router. */
  submit: 'SMS_SUBMIT',
  /** Routed messages, one lane per connector and priority. */
  route: 'SMS_ROUTE',
  /** Status events from connectors, for the DLR dispatcher. */
  status: 'SMS_STATUS',
  /** Each account's backlog of DLRs waiting for a bound receiver. */
  dlr: 'SMS_DLR',
  /**
   * The `sim` driver's network: answers it accepted and will give later
   * (docs/architecture.md, "The sim network"). Kept in JetStream so that a
   * connector killed meanwhile loses none of them, as a real network would not.
   */
  sim: 'SMS_SIM',
  /** Submits of priority 1..3 (`sms.submit.<prio>.<account>`); priority 0 stays in SMS_SUBMIT. */
  submitPriority: 'SMS_SUBMIT_PRIORITY',
  /** Status events of messages of effective priority 1..3; priority 0 stays in SMS_STATUS. */
  statusPriority: 'SMS_STATUS_PRIORITY',
  /** The accounts' backlogs of DLRs of priority 1..3, capped small; priority 0 stays in SMS_DLR. */
  dlrPriority: 'SMS_DLR_PRIORITY',
  /**
   * Mobile-originated messages a connector took from the network for the
   * account owning the destination number (docs/architecture.md, "An MO's
   * life"), for the dispatcher, which delivers them like DLRs.
   */
  mo: 'SMS_MO',
} as const;

/** Key of a stream in StreamName. */
export type StreamKey = keyof typeof StreamName;

/** First tokens of each stream's subjects; the account or connector token(s) follow. */
export const SubjectRoot = {
  submit: 'sms.submit',
  route: 'sms.route',
  status: 'sms.status',
  dlr: 'sms.dlr',
  sim: 'sms.sim',
  mo: 'sms.mo',
  /**
   * Core NATS requests (no stream) asking a `sim` connector to originate an MO
   * as if its network had sent one (`smsgw mo`): `sms.sim-mo.<connector>`.
   */
  simMo: 'sms.sim-mo',
} as const;

/** Message header names. */
export const Header = {
  /** JetStream deduplication id: the message id (submit, route), event id (status) or report id (dlr). Set it with publish's `msgID` option. */
  msgId: 'Nats-Msg-Id',
  /** W3C trace context, carried from the edge through every hop. */
  traceparent: 'traceparent',
  /** W3C trace state, alongside traceparent. */
  tracestate: 'tracestate',
} as const;

/** Durable names of the consumers that exist once. */
export const ConsumerName = {
  /** Reads SMS_SUBMIT; router replicas share it. */
  router: 'router',
  /** Reads SMS_STATUS; dispatcher replicas share it. */
  dlrDispatcher: 'dlr-dispatcher',
  /** Reads SMS_MO; dispatcher replicas share it. */
  moDispatcher: 'dlr-dispatcher-mo',
} as const;

/** Names of the KV buckets. */
export const BucketName = {
  /** Account records (credentials, rules); history kept for audit and rollback. */
  accounts: 'accounts',
  /** Message envelopes by message id, read back to build the DLR. */
  envelopes: 'envelopes',
  /** Which edge pod holds receivers of which account; leases refreshed by their owner. */
  presence: 'presence',
  /**
   * The numbers (long numbers, short codes, ranges) accounts own, for MO
   * routing: one key, NUMBER_PLAN_KEY, written only by compare-and-set, so
   * that "one owner per number" is checked and written in one atomic step.
   */
  numbers: 'numbers',
  /** Bound sessions per account and edge pod (maxBinds and the rate share across pods); refreshed by their owner. */
  binds: 'binds',
  /** Recent failed binds per address and system_id, shared by the edge pods (the bind back-off). */
  bindFailures: 'bind-failures',
  /**
   * Submits answered ESME_RMSGQFUL after a publish of unknown outcome, shared by the edge pods so that a
   * retry on another pod gets the first message id too (docs/architecture.md, "Retried submits").
   */
  unsettledSubmits: 'unsettled-submits',
} as const;

/** The one key of the numbers bucket: the whole number plan (@smsgw/accounts number-plan.ts). */
export const NUMBER_PLAN_KEY = 'plan';

/** Key of a bucket in BucketName. */
export type BucketKey = keyof typeof BucketName;

/** SMPP priority_flag values, one connector lane each; 3 is served first. */
export const PRIORITIES = [0, 1, 2, 3] as const;

/** A priority lane. */
export type Priority = (typeof PRIORITIES)[number];

/** The priorities above 0: the ones with their own subjects in the `*_PRIORITY` streams. */
export const RAISED_PRIORITIES = [1, 2, 3] as const satisfies readonly Priority[];

/** Whether a number is a valid priority lane. */
export function isPriority(value: number): value is Priority {
  return value === 0 || value === 1 || value === 2 || value === 3;
}

/** The lane of a priority_flag: itself when it is 0..3, else 0 (docs/architecture.md, "Priority end to end"). */
export function priorityOrZero(value: number): Priority {
  return isPriority(value) ? value : 0;
}

function assertPriority(value: number): asserts value is Priority {
  if (!isPriority(value)) throw new TopologyError(`priority must be 0..3, not ${value}`);
}

// ---------------------------------------------------------------------------
// Ownership

/** The services that own part of the topology. */
export const TOPOLOGY_OWNERS = ['edge', 'router', 'connector', 'dlr-dispatcher'] as const;

/** A service that owns part of the topology. */
export type TopologyOwner = (typeof TOPOLOGY_OWNERS)[number];

/**
 * Who is ensuring the topology: a service (updates what it owns, but never a
 * stream's limits), `'provisioner'` (creates what is missing and applies the
 * stream limits, STREAM_LIMIT_FIELDS, of every stream and the TTLs,
 * BUCKET_TTL_FIELDS, of the connectors' two buckets, nothing else: `smsgw
 * topology apply`, `smsgw start`, the chart's topology Job), `'all'`
 * (reconciles everything, limits included: tests and tools that hold the whole
 * configuration) or `'none'` (creates what is missing, updates nothing).
 */
export type TopologyCaller = TopologyOwner | 'provisioner' | 'all' | 'none';

/**
 * The stream fields that are limits (the DLR backlogs' cap per account and
 * age): one owner, the provisioner (docs/configuration.md, "Stream limits").
 * A service creates a missing stream with them but never updates them, so
 * replicas started with other values cannot fight over the stream; services
 * that need a limit read it from the stream (readDlrBacklogLimits).
 */
export const STREAM_LIMIT_FIELDS = ['max_msgs_per_subject', 'max_age'] as const;

/**
 * The fields of a KV bucket's stream that make its TTL (kvStreamSpec: max_age, and the duplicate
 * window that may not exceed it). For the buckets several connector replicas would otherwise each
 * configure, `upstream-ids` and `connectors`, they have one owner, the provisioner
 * (docs/configuration.md, "Stream limits"): a connector creates a missing bucket with its TTL but
 * never changes an existing one's, and reads the TTL from the bucket (connector-bucket-ttls.ts).
 */
export const BUCKET_TTL_FIELDS = ['max_age', 'duplicate_window'] as const;

/**
 * Which service owns each stream, bucket and static consumer: the single source
 * of truth for who may change their settings. Any caller creates a missing
 * object (so services start in any order), but only its owner updates an
 * existing one, so a service starting with defaults no longer resets the
 * settings another service was configured with. The owner is the service whose
 * configuration the object's settings come from: the writer of a stream (its
 * duplicate window follows its publishing; its limits are the provisioner's,
 * STREAM_LIMIT_FIELDS), the reader of a consumer
 * (ack wait and window follow its work). The accounts bucket belongs to the
 * edge: it is always deployed and reads accounts on the hot path; the CLI
 * writes records but never changes the bucket.
 */
export const TopologyOwnership = {
  /** Streams, by StreamKey. */
  streams: {
    submit: 'edge',
    route: 'router',
    status: 'connector',
    dlr: 'dlr-dispatcher',
    sim: 'connector',
    submitPriority: 'edge',
    statusPriority: 'connector',
    dlrPriority: 'dlr-dispatcher',
    mo: 'connector',
  },
  /** KV buckets, by BucketKey. The numbers bucket belongs to its hot-path reader, the connector. */
  buckets: {
    accounts: 'edge',
    envelopes: 'router',
    presence: 'edge',
    numbers: 'connector',
    binds: 'edge',
    bindFailures: 'edge',
    unsettledSubmits: 'edge',
  },
  /** Static and on-demand consumers. */
  consumers: {
    router: 'router',
    dlrDispatcher: 'dlr-dispatcher',
    moDispatcher: 'dlr-dispatcher',
    connectorLane: 'connector',
    dlrAccount: 'dlr-dispatcher',
  },
} as const satisfies {
  streams: Record<StreamKey, TopologyOwner>;
  buckets: Record<BucketKey, TopologyOwner>;
  consumers: Record<
    'router' | 'dlrDispatcher' | 'moDispatcher' | 'connectorLane' | 'dlrAccount',
    TopologyOwner
  >;
};

/** Whether `caller` may update (not just create) an object that `owner` owns. */
export function mayUpdate(caller: TopologyCaller, owner: TopologyOwner): boolean {
  return caller === 'all' || caller === owner;
}

// ---------------------------------------------------------------------------
// Subjects

/** `<root>.<account>` for priority 0, `<root>.<priority>.<account>` above it. */
function prioritySubject(root: string, account: string, priority: Priority): string {
  assertPriority(priority);
  const token = encodeSubjectToken(account);
  return priority === 0 ? `${root}.${token}` : `${root}.${priority}.${token}`;
}

/** `sms.submit.<account>` (priority 0) or `sms.submit.<priority>.<account>`: edge → router. */
export function submitSubject(account: string, priority: Priority = 0): string {
  return prioritySubject(SubjectRoot.submit, account, priority);
}

/** `sms.route.<connector>.<priority>`: router → one connector lane. */
export function routeSubject(connector: string, priority: Priority): string {
  assertPriority(priority);
  return `${SubjectRoot.route}.${encodeSubjectToken(connector)}.${priority}`;
}

/** `sms.status.<account>` (priority 0) or `sms.status.<priority>.<account>`: connector → DLR dispatcher. */
export function statusSubject(account: string, priority: Priority = 0): string {
  return prioritySubject(SubjectRoot.status, account, priority);
}

/** `sms.dlr.<account>` (priority 0) or `sms.dlr.<priority>.<account>`: the account's DLR backlog. */
export function dlrSubject(account: string, priority: Priority = 0): string {
  return prioritySubject(SubjectRoot.dlr, account, priority);
}

/** `sms.mo.<account>`: connector → dispatcher, the MOs for the account owning their destination number. */
export function moSubject(account: string): string {
  return `${SubjectRoot.mo}.${encodeSubjectToken(account)}`;
}

/** `sms.sim-mo.<connector>`: where `smsgw mo` asks a `sim` connector to originate an MO (request/reply, no stream). */
export function simMoSubject(connector: string): string {
  return `${SubjectRoot.simMo}.${encodeSubjectToken(connector)}`;
}

/** The subject of a `sim` connector's pending answers, `sms.sim.<connector>`. */
export function simSubject(connector: string): string {
  return `${SubjectRoot.sim}.${encodeSubjectToken(connector)}`;
}

/** The account and priority of a submit, status or dlr subject, either shape; throws TopologyError for any other subject. */
export function parseAccountSubject(subject: string): { account: string; priority: Priority } {
  const tokens = subject.split('.');
  const root = `${tokens[0] ?? ''}.${tokens[1] ?? ''}`;
  const ours = root === SubjectRoot.submit || root === SubjectRoot.status || root === SubjectRoot.dlr;
  if ((ours || root === SubjectRoot.mo) && tokens.length === 3)
    return { account: decodeSubjectToken(tokens[2] ?? ''), priority: 0 };
  const lane = Number(tokens[2]);
  if (ours && tokens.length === 4 && /^[1-3]$/.test(tokens[2] ?? '') && isPriority(lane)) {
    return { account: decodeSubjectToken(tokens[3] ?? ''), priority: lane };
  }
  throw new TopologyError(`${JSON.stringify(subject)} is not an sms.submit/status/dlr/mo subject`);
}

/** The account of a submit, status or dlr subject; throws TopologyError for any other subject. */
export function accountOfSubject(subject: string): string {
  return parseAccountSubject(subject).account;
}

/** The connector and priority of a route subject; throws TopologyError for any other subject. */
export function parseRouteSubject(subject: string): { connector: string; priority: Priority } {
  const tokens = subject.split('.');
  const [first, second, connector, lane] = tokens;
  if (tokens.length !== 4 || `${first}.${second}` !== SubjectRoot.route || !/^[0-3]$/.test(lane ?? '')) {
    throw new TopologyError(`${JSON.stringify(subject)} is not an sms.route.<connector>.<0..3> subject`);
  }
  const priority = Number(lane);
  assertPriority(priority);
  return { connector: decodeSubjectToken(connector ?? ''), priority };
}

// ---------------------------------------------------------------------------
// Options

/** Per-consumer delivery settings. */
export interface ConsumerTuning {
  /** Milliseconds the server waits for an ack before it redelivers (ack_wait). `m.working()` extends it. */
  readonly ackWaitMs: number;
  /**
   * Deliveries before the server stops redelivering (max_deliver); -1 = no
   * limit. On a WorkQueue an exhausted message stays in the stream where no one
   * reads it, so the default is no limit: services term() what can never
   * succeed and nak() with a delay what may later.
   */
  readonly maxDeliver: number;
  /** Unacked messages in flight across all pullers of the consumer (max_ack_pending): the consumer's window. */
  readonly maxAckPending: number;
}

/** What ensureTopology() may be told; everything has a default (DEFAULT_TOPOLOGY_OPTIONS). */
export interface TopologyOptions {
  /** Replicas of every stream and bucket: 1 on a single server, 3 in production (a clustered JetStream). */
  readonly replicas?: number;
  /** Window in which a repeated Nats-Msg-Id is dropped as a duplicate, every stream (default 2 min). */
  readonly duplicateWindowMs?: number;
  /**
   * DLRs kept per account in total, all priorities; past it the oldest of the
   * priority go first (default 25,000). Priority 0 (SMS_DLR) keeps what
   * priorities 1..3 leave: dlrBacklogMax − 3 × dlrPriorityBacklogMax.
   */
  readonly dlrBacklogMax?: number;
  /** DLRs kept per account and priority 1..3 in SMS_DLR_PRIORITY (default 4% of dlrBacklogMax, at least 1, at most 1,000). */
  readonly dlrPriorityBacklogMax?: number;
  /** How long an undelivered DLR is kept (default 48 h). */
  readonly dlrMaxAgeMs?: number;
  /** An account's DLR consumer that nobody pulled from for this long is deleted by the server (default 1 h); its DLRs stay. */
  readonly dlrInactiveThresholdMs?: number;
  /** How long a message envelope is kept, long enough for the last DLR (default 7 days). */
  readonly envelopeTtlMs?: number;
  /** Lifetime of a presence entry unless its owner refreshes it (default 30 s; refresh every third of it). */
  readonly presenceTtlMs?: number;
  /** Revisions kept per account record (default 10, at most 64). */
  readonly accountsHistory?: number;
  /**
   * How long an upstream id → envelope mapping is kept, the `upstream-ids` bucket's TTL (default
   * 7 days, at least dlrMaxAgeMs' default 48 h): the provisioner's (BUCKET_TTL_FIELDS).
   */
  readonly upstreamIdTtlMs?: number;
  /** Lifetime of a connector replica's entry in the `connectors` health bucket (default 30 s): the provisioner's. */
  readonly connectorHealthTtlMs?: number;
  /** Connectors whose four lane consumers ensureTopology() creates (default none; see ensureConnectorLanes). */
  readonly connectors?: readonly string[];
  /** Router consumers on SMS_SUBMIT and SMS_SUBMIT_PRIORITY. */
  readonly router?: Partial<ConsumerTuning>;
  /** Every connector lane consumer on SMS_ROUTE. */
  readonly connector?: Partial<ConsumerTuning>;
  /** Dispatcher consumers on SMS_STATUS and SMS_STATUS_PRIORITY. */
  readonly dlrDispatcher?: Partial<ConsumerTuning>;
  /** Every per-account DLR consumer on SMS_DLR and SMS_DLR_PRIORITY. */
  readonly dlrAccount?: Partial<ConsumerTuning>;
  /** A `sim` connector's network consumer (simConsumerSpec). */
  readonly sim?: Partial<ConsumerTuning>;
}

/** TopologyOptions with every default filled in. */
export interface ResolvedTopologyOptions {
  readonly replicas: number;
  readonly duplicateWindowMs: number;
  readonly dlrBacklogMax: number;
  readonly dlrPriorityBacklogMax: number;
  readonly dlrMaxAgeMs: number;
  readonly dlrInactiveThresholdMs: number;
  readonly envelopeTtlMs: number;
  readonly presenceTtlMs: number;
  readonly accountsHistory: number;
  readonly upstreamIdTtlMs: number;
  readonly connectorHealthTtlMs: number;
  readonly connectors: readonly string[];
  readonly router: ConsumerTuning;
  readonly connector: ConsumerTuning;
  readonly dlrDispatcher: ConsumerTuning;
  readonly dlrAccount: ConsumerTuning;
  readonly sim: ConsumerTuning;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The defaults. Consumers: ack_wait 10 s for the router, whose work is one
 * publish (a lost ack, e.g. sent to a consumer leader that hung, costs that
 * long: docs/operations.md, "Recovery time"), 30 s for the dispatcher's status
 * stage, which may wait on a customer's deliver_sm_resp, 15 s for the
 * connector lanes, whose messages are touched while the outside world works
 * on them (so the ack wait only bounds how long a message held by a lost pull
 * or a dead replica waits), 10 s for the sim's answers (held at most half of
 * it), and 60 s for the per-account DLR consumers, whose pushes wait on a
 * customer's deliver_sm_resp; unlimited redelivery (see
 * ConsumerTuning.maxDeliver); a window of 1,000 in flight, 256 per account for
 * DLRs since each waits on a customer's window.
 */
export const DEFAULT_TOPOLOGY_OPTIONS: ResolvedTopologyOptions = {
  replicas: 1,
  duplicateWindowMs: 2 * MINUTE,
  dlrBacklogMax: 25_000,
  dlrPriorityBacklogMax: 1_000,
  dlrMaxAgeMs: 48 * HOUR,
  dlrInactiveThresholdMs: HOUR,
  envelopeTtlMs: 7 * DAY,
  presenceTtlMs: 30 * SECOND,
  accountsHistory: 10,
  // Receipts come as late as a message's validity (often 48 h to 7 days); see DEFAULT_UPSTREAM_ID_TTL_MS.
  upstreamIdTtlMs: 7 * DAY,
  connectorHealthTtlMs: 30 * SECOND,
  connectors: [],
  router: { ackWaitMs: 10 * SECOND, maxDeliver: -1, maxAckPending: 1_000 },
  // Lane messages are touched (working()) every third of it while they wait or are with the driver:
  // the ack wait bounds only how long a message a lost pull or a dead replica held waits to come again.
  connector: { ackWaitMs: 15 * SECOND, maxDeliver: -1, maxAckPending: 1_000 },
  dlrDispatcher: { ackWaitMs: 30 * SECOND, maxDeliver: -1, maxAckPending: 1_000 },
  dlrAccount: { ackWaitMs: 60 * SECOND, maxDeliver: -1, maxAckPending: 256 },
  // Answers due within half the ack wait are held (a timer each), later ones are nak'ed until due.
  sim: { ackWaitMs: 10 * SECOND, maxDeliver: -1, maxAckPending: 20_000 },
};

function checkInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TopologyError(`${name} must be an integer in ${min}..${max}, not ${value}`);
  }
  return value;
}

function resolveTuning(
  name: string,
  given: Partial<ConsumerTuning> | undefined,
  base: ConsumerTuning,
): ConsumerTuning {
  const t = { ...base, ...given };
  checkInteger(`${name}.ackWaitMs`, t.ackWaitMs, 1);
  if (t.maxDeliver !== -1) checkInteger(`${name}.maxDeliver (or -1)`, t.maxDeliver, 1);
  if (t.maxAckPending !== -1) checkInteger(`${name}.maxAckPending (or -1)`, t.maxAckPending, 1);
  return t;
}

/** The default cap per account of each priority 1..3: 4% of the total, at least 1, at most 1,000. */
function defaultPriorityBacklogMax(dlrBacklogMax: number): number {
  return Math.min(
    DEFAULT_TOPOLOGY_OPTIONS.dlrPriorityBacklogMax,
    Math.max(1, Math.floor(dlrBacklogMax / 25)),
  );
}

/** DLRs of priority 0 kept per account (SMS_DLR): what the total leaves after the three priority backlogs. */
export function dlrPriorityZeroBacklogMax(o: ResolvedTopologyOptions): number {
  return o.dlrBacklogMax - RAISED_PRIORITIES.length * o.dlrPriorityBacklogMax;
}

/** Fills in defaults and validates; throws TopologyError for an option the server would refuse or that makes no sense. */
export function resolveTopologyOptions(options: TopologyOptions = {}): ResolvedTopologyOptions {
  const d = DEFAULT_TOPOLOGY_OPTIONS;
  // At least 4: one for each priority backlog and one for priority 0.
  const dlrBacklogMax = checkInteger('dlrBacklogMax', options.dlrBacklogMax ?? d.dlrBacklogMax, 4);
  const dlrPriorityBacklogMax = checkInteger(
    'dlrPriorityBacklogMax (less than a third of dlrBacklogMax)',
    options.dlrPriorityBacklogMax ?? defaultPriorityBacklogMax(dlrBacklogMax),
    1,
    Math.floor((dlrBacklogMax - 1) / RAISED_PRIORITIES.length),
  );
  const o: ResolvedTopologyOptions = {
    replicas: checkInteger('replicas', options.replicas ?? d.replicas, 1, 5),
    duplicateWindowMs: checkInteger(
      'duplicateWindowMs',
      options.duplicateWindowMs ?? d.duplicateWindowMs,
      100,
    ),
    dlrBacklogMax,
    dlrPriorityBacklogMax,
    dlrMaxAgeMs: checkInteger('dlrMaxAgeMs', options.dlrMaxAgeMs ?? d.dlrMaxAgeMs, 1),
    dlrInactiveThresholdMs: checkInteger(
      'dlrInactiveThresholdMs',
      options.dlrInactiveThresholdMs ?? d.dlrInactiveThresholdMs,
      1,
    ),
    envelopeTtlMs: checkInteger('envelopeTtlMs', options.envelopeTtlMs ?? d.envelopeTtlMs, 1),
    // Durations under 100 ms are refused: the server's timers are not that fine.
    presenceTtlMs: checkInteger('presenceTtlMs', options.presenceTtlMs ?? d.presenceTtlMs, 100),
    accountsHistory: checkInteger('accountsHistory', options.accountsHistory ?? d.accountsHistory, 1, 64),
    // A mapping must outlive the DLR backlog's reports (48 h by default), whose statuses need it.
    upstreamIdTtlMs: checkInteger(
      'upstreamIdTtlMs',
      options.upstreamIdTtlMs ?? d.upstreamIdTtlMs,
      d.dlrMaxAgeMs,
    ),
    connectorHealthTtlMs: checkInteger(
      'connectorHealthTtlMs',
      options.connectorHealthTtlMs ?? d.connectorHealthTtlMs,
      100,
    ),
    connectors: [...new Set(options.connectors ?? d.connectors)],
    router: resolveTuning('router', options.router, d.router),
    connector: resolveTuning('connector', options.connector, d.connector),
    dlrDispatcher: resolveTuning('dlrDispatcher', options.dlrDispatcher, d.dlrDispatcher),
    dlrAccount: resolveTuning('dlrAccount', options.dlrAccount, d.dlrAccount),
    sim: resolveTuning('sim', options.sim, d.sim),
  };
  // The server refuses a duplicate window longer than the stream's max_age.
  if (o.duplicateWindowMs > o.dlrMaxAgeMs) {
    throw new TopologyError(
      `duplicateWindowMs (${o.duplicateWindowMs}) cannot exceed dlrMaxAgeMs (${o.dlrMaxAgeMs})`,
    );
  }
  for (const connector of o.connectors) encodeSubjectToken(connector);
  return o;
}

// ---------------------------------------------------------------------------
// Streams

/** A stream configuration to ensure: the fields smsgw decides; the server defaults the rest. */
export type StreamSpec = Partial<StreamConfig> & { readonly name: string };

/** The streams, by key. */
export function streamSpecs(o: ResolvedTopologyOptions): Record<StreamKey, StreamSpec> {
  const workQueue = (name: string, subjects: string[], description: string): StreamSpec => ({
    name,
    description,
    subjects,
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    num_replicas: o.replicas,
    duplicate_window: nanos(o.duplicateWindowMs),
    // No size limits here: a message the customer got ESME_ROK for must never be
    // dropped. Should limits be added, discard new makes publishing fail instead.
    discard: DiscardPolicy.New,
  });
  return {
    submit: workQueue(
      StreamName.submit,
      [`${SubjectRoot.submit}.*`],
      'smsgw: accepted submits, edge → router',
    ),
    route: workQueue(
      StreamName.route,
      [`${SubjectRoot.route}.*.*`],
      'smsgw: routed messages, router → connector lanes',
    ),
    status: workQueue(
      StreamName.status,
      [`${SubjectRoot.status}.*`],
      'smsgw: status events, connector → dispatcher',
    ),
    dlr: {
      ...workQueue(StreamName.dlr, [`${SubjectRoot.dlr}.*`], 'smsgw: per-account DLR backlog'),
      // The backlog contract: per account (one subject each) the newest
      // dlrBacklogMax DLRs for 48 h, oldest dropped first, of which priority 0
      // keeps what the priority backlogs leave. Works with WorkQueue retention
      // on 2.9 (tested), where an ack removes the DLR.
      max_msgs_per_subject: dlrPriorityZeroBacklogMax(o),
      max_age: nanos(o.dlrMaxAgeMs),
      discard: DiscardPolicy.Old,
    },
    sim: workQueue(StreamName.sim, [`${SubjectRoot.sim}.*`], 'smsgw: the sim network, answers to give'),
    // Like SMS_SUBMIT: no limits, the network got ESME_ROK for every MO in it.
    mo: workQueue(
      StreamName.mo,
      [`${SubjectRoot.mo}.*`],
      'smsgw: mobile-originated messages, connector → dispatcher',
    ),
    // The priority companions: subjects one token longer than the priority-0 ones, so they never overlap.
    submitPriority: workQueue(
      StreamName.submitPriority,
      [`${SubjectRoot.submit}.*.*`],
      'smsgw: accepted submits of priority 1..3, edge → router',
    ),
    statusPriority: workQueue(
      StreamName.statusPriority,
      [`${SubjectRoot.status}.*.*`],
      'smsgw: status events of priority 1..3, connector → dispatcher',
    ),
    dlrPriority: {
      ...workQueue(
        StreamName.dlrPriority,
        [`${SubjectRoot.dlr}.*.*`],
        'smsgw: per-account DLR backlog of priority 1..3',
      ),
      // One subject per account and priority: each keeps its newest dlrPriorityBacklogMax.
      max_msgs_per_subject: o.dlrPriorityBacklogMax,
      max_age: nanos(o.dlrMaxAgeMs),
      discard: DiscardPolicy.Old,
    },
  };
}

// ---------------------------------------------------------------------------
// Consumers

/** A durable consumer configuration to ensure. */
export type ConsumerSpec = Partial<ConsumerConfig> & { readonly durable_name: string };

function pullConsumer(durable: string, tuning: ConsumerTuning, description: string): ConsumerSpec {
  return {
    durable_name: durable,
    description,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(tuning.ackWaitMs),
    max_deliver: tuning.maxDeliver,
    max_ack_pending: tuning.maxAckPending,
  };
}

/** The router's consumer on SMS_SUBMIT: every priority-0 submit, shared by all router replicas. */
export function routerConsumerSpec(o: ResolvedTopologyOptions): ConsumerSpec {
  return pullConsumer(ConsumerName.router, o.router, 'smsgw router: all submits');
}

/** The dispatcher's consumer on SMS_STATUS: every priority-0 status event, shared by all dispatcher replicas. */
export function dlrDispatcherConsumerSpec(o: ResolvedTopologyOptions): ConsumerSpec {
  return pullConsumer(ConsumerName.dlrDispatcher, o.dlrDispatcher, 'smsgw dlr-dispatcher: all status events');
}

/** The dispatcher's consumer on SMS_MO: every MO, shared by all dispatcher replicas (the status stage's tuning). */
export function moDispatcherConsumerSpec(o: ResolvedTopologyOptions): ConsumerSpec {
  return pullConsumer(ConsumerName.moDispatcher, o.dlrDispatcher, 'smsgw dlr-dispatcher: all MOs');
}

/** Where one priority of a stage is read: its stream and durable consumer. */
export interface PriorityLane {
  readonly priority: Priority;
  readonly stream: string;
  readonly consumer: string;
}

/** `<base>` for priority 0 (the consumer it always had), `<base>-p<priority>` above it (in the `*_PRIORITY` stream). */
function laneConsumerName(base: string, priority: Priority): string {
  assertPriority(priority);
  return priority === 0 ? base : `${base}-p${priority}`;
}

/** The router's four intake lanes, priority 0 first: `router` on SMS_SUBMIT, `router-p<prio>` on SMS_SUBMIT_PRIORITY. */
export function routerLanes(): PriorityLane[] {
  return PRIORITIES.map((priority) => ({
    priority,
    stream: priority === 0 ? StreamName.submit : StreamName.submitPriority,
    consumer: laneConsumerName(ConsumerName.router, priority),
  }));
}

/** The dispatcher's four status lanes, priority 0 first: `dlr-dispatcher` on SMS_STATUS, `dlr-dispatcher-p<prio>` on SMS_STATUS_PRIORITY. */
export function dlrDispatcherLanes(): PriorityLane[] {
  return PRIORITIES.map((priority) => ({
    priority,
    stream: priority === 0 ? StreamName.status : StreamName.statusPriority,
    consumer: laneConsumerName(ConsumerName.dlrDispatcher, priority),
  }));
}

/** A router lane's consumer on SMS_SUBMIT_PRIORITY, filtered to `sms.submit.<priority>.*` (priority 1..3). */
export function routerLaneConsumerSpec(priority: Priority, o: ResolvedTopologyOptions): ConsumerSpec {
  if (priority === 0) return routerConsumerSpec(o);
  return {
    ...pullConsumer(laneConsumerName(ConsumerName.router, priority), o.router, 'smsgw router: one priority'),
    filter_subject: `${SubjectRoot.submit}.${priority}.*`,
  };
}

/** A dispatcher lane's consumer on SMS_STATUS_PRIORITY, filtered to `sms.status.<priority>.*` (priority 1..3). */
export function dlrDispatcherLaneConsumerSpec(priority: Priority, o: ResolvedTopologyOptions): ConsumerSpec {
  if (priority === 0) return dlrDispatcherConsumerSpec(o);
  return {
    ...pullConsumer(
      laneConsumerName(ConsumerName.dlrDispatcher, priority),
      o.dlrDispatcher,
      'smsgw dlr-dispatcher: one priority',
    ),
    filter_subject: `${SubjectRoot.status}.${priority}.*`,
  };
}

/** `connector-<name>-p<priority>`: the durable name of a connector lane. */
export function connectorLaneConsumerName(connector: string, priority: Priority): string {
  assertPriority(priority);
  return `connector-${encodeSubjectToken(connector)}-p${priority}`;
}

/** A connector lane's consumer on SMS_ROUTE, filtered to `sms.route.<connector>.<priority>` (lanes never overlap). */
export function connectorLaneConsumerSpec(
  connector: string,
  priority: Priority,
  o: ResolvedTopologyOptions,
): ConsumerSpec {
  return {
    ...pullConsumer(connectorLaneConsumerName(connector, priority), o.connector, `smsgw connector lane`),
    filter_subject: routeSubject(connector, priority),
  };
}

/** The durable name of a `sim` connector's network consumer, `sim-<connector>`. */
export function simConsumerName(connector: string): string {
  return `sim-${encodeSubjectToken(connector)}`;
}

/**
 * A `sim` connector's network consumer: its pending answers, shared by its
 * replicas. Up to `maxAckPending` answers are held at once (bounded memory:
 * the rest wait in the stream); the ack wait bounds how late an answer held
 * by a killed replica comes.
 */
export function simConsumerSpec(connector: string, o: ResolvedTopologyOptions): ConsumerSpec {
  return {
    ...pullConsumer(simConsumerName(connector), o.sim, 'smsgw sim network: answers to give'),
    filter_subject: simSubject(connector),
  };
}

/** `dlr-<account>` (priority 0, on SMS_DLR) or `dlr-<account>-p<priority>` (on SMS_DLR_PRIORITY): an account's backlog consumer. */
export function dlrConsumerName(account: string, priority: Priority = 0): string {
  return laneConsumerName(`dlr-${encodeSubjectToken(account)}`, priority);
}

/** An account's four backlog lanes, priority 0 first. */
export function dlrAccountLanes(account: string): PriorityLane[] {
  return PRIORITIES.map((priority) => ({
    priority,
    stream: priority === 0 ? StreamName.dlr : StreamName.dlrPriority,
    consumer: dlrConsumerName(account, priority),
  }));
}

/**
 * An account's consumer of one priority's backlog, filtered to
 * `dlrSubject(account, priority)`; created on demand (ensureDlrConsumer) and
 * deleted by the server after dlrInactiveThresholdMs without pulls. Its DLRs
 * stay in the stream either way.
 */
export function dlrAccountConsumerSpec(
  account: string,
  o: ResolvedTopologyOptions,
  priority: Priority = 0,
): ConsumerSpec {
  return {
    ...pullConsumer(
      dlrConsumerName(account, priority),
      o.dlrAccount,
      'smsgw dlr-dispatcher: one account backlog',
    ),
    filter_subject: dlrSubject(account, priority),
    inactive_threshold: nanos(o.dlrInactiveThresholdMs),
  };
}

// ---------------------------------------------------------------------------
// KV buckets

/** The server's default duplicate window. */
const KV_DUPLICATE_WINDOW_MS = 2 * MINUTE;

/**
 * The stream behind a KV bucket, as @nats-io/kv's Kvm.create() would make it
 * on 2.9+ (so either may create it), but ensured here like every other stream
 * so that TTL, history and replicas changes are applied. A bucket TTL is the
 * stream's max_age: on 2.9 there is no per-key TTL, so presence entries live
 * by their owner putting them again.
 */
/** The name of the stream behind KV bucket `bucket`. */
export function kvStreamName(bucket: string): string {
  return `KV_${bucket}`;
}

export function kvStreamSpec(
  bucket: string,
  history: number,
  ttlMs: number,
  replicas: number,
  description: string,
): StreamSpec {
  return {
    name: kvStreamName(bucket),
    description,
    subjects: [`$KV.${bucket}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: replicas,
    max_msgs_per_subject: history,
    max_age: ttlMs > 0 ? nanos(ttlMs) : 0,
    // What the server picks when none is given, set explicitly so that a
    // shorter TTL later stays valid (the window may not exceed max_age).
    duplicate_window: nanos(ttlMs > 0 ? Math.min(ttlMs, KV_DUPLICATE_WINDOW_MS) : KV_DUPLICATE_WINDOW_MS),
    discard: DiscardPolicy.New,
    allow_rollup_hdrs: true,
    allow_direct: true,
  };
}

/** The KV buckets' streams, by key. */
export function bucketSpecs(o: ResolvedTopologyOptions): Record<BucketKey, StreamSpec> {
  return {
    accounts: kvStreamSpec(BucketName.accounts, o.accountsHistory, 0, o.replicas, 'smsgw: accounts'),
    envelopes: kvStreamSpec(BucketName.envelopes, 1, o.envelopeTtlMs, o.replicas, 'smsgw: message envelopes'),
    presence: kvStreamSpec(BucketName.presence, 1, o.presenceTtlMs, o.replicas, 'smsgw: receiver presence'),
    // History like the accounts': who owned a number before is an audit question.
    numbers: kvStreamSpec(
      BucketName.numbers,
      o.accountsHistory,
      0,
      o.replicas,
      'smsgw: numbers owned by accounts',
    ),
    binds: kvStreamSpec(
      BucketName.binds,
      1,
      o.presenceTtlMs,
      o.replicas,
      'smsgw: bound sessions per edge pod',
    ),
    bindFailures: kvStreamSpec(
      BucketName.bindFailures,
      1,
      BIND_FAILURE_TTL_MS,
      o.replicas,
      'smsgw: failed binds (shared back-off)',
    ),
    // Kept for the submit streams' duplicate window: a retry published later would not be deduplicated.
    unsettledSubmits: kvStreamSpec(
      BucketName.unsettledSubmits,
      1,
      o.duplicateWindowMs,
      o.replicas,
      'smsgw: submits of unknown outcome (retries on every edge pod)',
    ),
  };
}

/**
 * How long a failed-bind record is kept in the bind-failures bucket after its
 * last failure: the default EDGE_AUTH_FAILURE_WINDOW. A longer window is kept
 * by each pod for the failures it saw or learned, a shorter one applied by
 * every reader to the record's time.
 */
export const BIND_FAILURE_TTL_MS = 15 * MINUTE;

/** `<account>.<pod>`: the bound sessions of an account on an edge pod, in the binds bucket. */
export function bindsKey(account: string, pod: string): string {
  return `${encodeSubjectToken(account)}.${encodeSubjectToken(pod)}`;
}

/** The account and pod of a binds key; throws TopologyError for any other key. */
export function parseBindsKey(key: string): { account: string; pod: string } {
  const tokens = key.split('.');
  if (tokens.length !== 2) throw new TopologyError(`${JSON.stringify(key)} is not a binds key`);
  return { account: decodeSubjectToken(tokens[0] ?? ''), pod: decodeSubjectToken(tokens[1] ?? '') };
}

/** What a failed-bind record counts: a remote address or a system_id. */
export type BindFailureSubject = 'address' | 'system-id';

/** `a.<address>` or `s.<system_id>`: a failed-bind record in the bind-failures bucket. */
export function bindFailureKey(subject: BindFailureSubject, id: string): string {
  return `${subject === 'address' ? 'a' : 's'}.${encodeSubjectToken(id)}`;
}

/** The subject and id of a bind-failures key; throws TopologyError for any other key. */
export function parseBindFailureKey(key: string): { subject: BindFailureSubject; id: string } {
  const [kind, token, ...rest] = key.split('.');
  if ((kind !== 'a' && kind !== 's') || token === undefined || rest.length > 0) {
    throw new TopologyError(`${JSON.stringify(key)} is not a bind-failures key`);
  }
  return { subject: kind === 'a' ? 'address' : 'system-id', id: decodeSubjectToken(token) };
}

/** Key of a submit of unknown outcome in the unsettled-submits bucket: its message id as one token. */
export function unsettledSubmitKey(messageId: string): string {
  return encodeSubjectToken(messageId);
}

/** The message id of an unsettled-submits key. */
export function parseUnsettledSubmitKey(key: string): string {
  return decodeSubjectToken(key);
}

/** Key of an account record in the accounts bucket: the system_id as one token. */
export function accountKey(systemId: string): string {
  return encodeSubjectToken(systemId);
}

/** Key of a message envelope in the envelopes bucket: the message id as one token. */
export function envelopeKey(messageId: string): string {
  return encodeSubjectToken(messageId);
}

/** `<account>.<pod>`: the presence lease an edge pod holds while it has receivers of the account. */
export function presenceKey(account: string, pod: string): string {
  return `${encodeSubjectToken(account)}.${encodeSubjectToken(pod)}`;
}

// Upstream message ids (the connector's `smpp` driver): kept apart from BucketName and the
// services' ensureTopology, since only a connector with an upstream SMSC needs the bucket; it
// ensures it itself (ensureUpstreamIdsBucket), and the provisioner creates it with its TTL.

/** The bucket mapping `<connector>.<upstream id>` to the MessageEnvelope of the message the upstream SMSC accepted. */
export const UPSTREAM_IDS_BUCKET = 'upstream-ids';

/** Its owner: the connector (the only writer and reader). */
export const UPSTREAM_IDS_OWNER: TopologyOwner = 'connector';

/**
 * How long a mapping is kept by default: 7 days, like an envelope. Receipts come
 * as late as the message's validity period (often 48 h to 7 days), and a status
 * must still find its envelope while the DLR backlog (dlrMaxAgeMs, 48 h) keeps DLRs.
 */
export const DEFAULT_UPSTREAM_ID_TTL_MS = DEFAULT_TOPOLOGY_OPTIONS.upstreamIdTtlMs;

/** The stream behind the upstream ids bucket; throws TopologyError for a TTL shorter than the DLR backlog's 48 h. */
export function upstreamIdsBucketSpec(
  replicas: number,
  ttlMs: number = DEFAULT_UPSTREAM_ID_TTL_MS,
): StreamSpec {
  checkInteger('upstream id ttlMs', ttlMs, DEFAULT_TOPOLOGY_OPTIONS.dlrMaxAgeMs);
  checkInteger('replicas', replicas, 1, 5);
  return kvStreamSpec(UPSTREAM_IDS_BUCKET, 1, ttlMs, replicas, 'smsgw: upstream message id → envelope');
}

/** Key of a mapping: the connector and the (already normalised) upstream message id, one token each. */
export function upstreamIdKey(connector: string, upstreamId: string): string {
  return `${encodeSubjectToken(connector)}.${encodeSubjectToken(upstreamId)}`;
}

/** `<account>.*`: the presence keys of every pod holding receivers of the account (for kv.keys / kv.watch). */
export function presenceFilter(account: string): string {
  return `${encodeSubjectToken(account)}.*`;
}

/** The account and pod of a presence key; throws TopologyError for any other key. */
export function parsePresenceKey(key: string): { account: string; pod: string } {
  const tokens = key.split('.');
  if (tokens.length !== 2) throw new TopologyError(`${JSON.stringify(key)} is not a presence key`);
  return { account: decodeSubjectToken(tokens[0] ?? ''), pod: decodeSubjectToken(tokens[1] ?? '') };
}

// ---------------------------------------------------------------------------
// Connector health (one block: the bucket's name, owner, TTL, stream and keys)

/**
 * The `connectors` KV bucket: each connector replica announces whether its
 * driver can hand messages over now (`smpp`: a bound transmitting session),
 * and the router fails a route over to its next connector when no replica of
 * the first has been ready for a while. Key `<connector>.<pod>`; the value is
 * ConnectorHealthValue (connector-health-value.ts). The owner rewrites its
 * entry every third of the TTL and on every change, and deletes it on
 * shutdown; an entry not rewritten within the TTL is gone (readers judge that
 * by their own clock, since on 2.9 an expiry sends watchers nothing).
 */
export const ConnectorHealthBucket = {
  /** The bucket's name. */
  name: 'connectors',
  /** Who may update its settings but the TTL (the provisioner's, BUCKET_TTL_FIELDS): the writers. */
  owner: 'connector',
  /** Default lifetime of an entry unless its owner rewrites it (the provisioner sets the bucket's). */
  defaultTtlMs: DEFAULT_TOPOLOGY_OPTIONS.connectorHealthTtlMs,
} as const satisfies { name: string; owner: TopologyOwner; defaultTtlMs: number };

/** The connectors bucket's stream: one value per key, entries living `ttlMs` unless rewritten. */
export function connectorHealthBucketSpec(
  replicas: number,
  ttlMs: number = ConnectorHealthBucket.defaultTtlMs,
): StreamSpec {
  checkInteger('connector health ttlMs', ttlMs, 100);
  return kvStreamSpec(ConnectorHealthBucket.name, 1, ttlMs, replicas, 'smsgw: connector health');
}

/** `<connector>.<pod>`: the health entry of one connector replica. */
export function connectorHealthKey(connector: string, pod: string): string {
  return `${encodeSubjectToken(connector)}.${encodeSubjectToken(pod)}`;
}

/** The connector and pod of a health key; throws TopologyError for any other key. */
export function parseConnectorHealthKey(key: string): { connector: string; pod: string } {
  const tokens = key.split('.');
  if (tokens.length !== 2) throw new TopologyError(`${JSON.stringify(key)} is not a connector health key`);
  return { connector: decodeSubjectToken(tokens[0] ?? ''), pod: decodeSubjectToken(tokens[1] ?? '') };
}
