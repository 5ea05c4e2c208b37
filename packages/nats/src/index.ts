export {
  BucketName,
  ConsumerName,
  DEFAULT_TOPOLOGY_OPTIONS,
  Header,
  PRIORITIES,
  StreamName,
  SubjectRoot,
  TOPOLOGY_OWNERS,
  TopologyOwnership,
  accountKey,
  accountOfSubject,
  bucketSpecs,
  envelopeKey,
  parsePresenceKey,
  presenceFilter,
  presenceKey,
  connectorLaneConsumerName,
  connectorLaneConsumerSpec,
  dlrAccountConsumerSpec,
  dlrConsumerName,
  dlrDispatcherConsumerSpec,
  dlrSubject,
  isPriority,
  kvStreamSpec,
  mayUpdate,
  parseRouteSubject,
  resolveTopologyOptions,
  routeSubject,
  routerConsumerSpec,
  statusSubject,
  streamSpecs,
  submitSubject,
  type BucketKey,
  type ConsumerSpec,
  type ConsumerTuning,
  type Priority,
  type ResolvedTopologyOptions,
  type StreamKey,
  type StreamSpec,
  type TopologyCaller,
  type TopologyOptions,
  type TopologyOwner,
} from './topology.ts';
export { SUBJECT_TOKEN_ESCAPE, decodeSubjectToken, encodeSubjectToken } from './subject-token.ts';
export { differingFields, ensureConsumer, ensureStream, type EnsureMode } from './ensure.ts';
export {
  ensureConnectorLanes,
  ensureDlrConsumer,
  ensureTopology,
  type EnsureTopologyOptions,
  type Topology,
} from './ensure-topology.ts';
export { RECONNECT_DEFAULTS, connectNats, type ConnectNatsOptions } from './connect.ts';
export {
  NODE_LEASE_ACCOUNT,
  decodePresenceEntry,
  encodePresenceValue,
  nodeLeaseKey,
  presenceValueSchema,
  type PresenceEntry,
  type PresenceValue,
} from './presence-value.ts';
export { TopologyError } from './errors.ts';
export {
  endedUnannounced,
  startPullWorker,
  type InFlightHooks,
  type PullBounds,
  type PullWorker,
  type PullWorkerOptions,
} from './pull-worker.ts';
export { trackConnection } from './connection-state.ts';
export { nextTurn } from './next-turn.ts';
