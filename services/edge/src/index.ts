// @smsgw/edge: the session edge. `node src/main.ts` runs it; these exports let tests and other
// code run its parts in-process.
export { Edge, type AccountSource, type EdgeOptions } from './edge.ts';
export { edgeConfigSchema, edgeRenamedVariables, loadEdgeConfig, type EdgeConfig } from './config.ts';
export { createEdgeMetrics, type EdgeMetrics } from './metrics.ts';
export { Presence, type PresenceOptions } from './delivery/presence.ts';
export {
  ID_EPOCH_MS,
  MAX_NODE_ID,
  MessageIdGenerator,
  parseMessageId,
  type MessageIdParts,
} from './ids/message-id-generator.ts';
export { NodeIdLease, NodeIdLeaseError } from './ids/node-id-lease.ts';
export {
  MessageIdUnavailableError,
  fixedMessageIds,
  leasedMessageIds,
  type MessageIdSource,
} from './ids/message-id-source.ts';
export {
  ACCEPTED_DATA_CODINGS,
  validateSubmit,
  type AcceptedSubmit,
  type SubmitVerdict,
} from './submit/submit-validation.ts';
export { isTransientPublishError, publishErrorStatus } from './submit/publish-status.ts';
export { SubmitTracing, type SubmitTrace } from './submit/submit-tracing.ts';
export { submitAcceptedOf, type SubmitOrigin } from './submit/submit-message.ts';
export {
  CertificateReloader,
  readCertificatePair,
  type CertificatePair,
} from './session/certificate-reloader.ts';
export {
  DeliveryServer,
  type DeliveryServerOptions,
  type ReceiverSource,
} from './delivery/delivery-server.ts';
export { deliverSmOf } from './delivery/deliver-sm.ts';
export { pickReceiver, freeWindowOf, canReceive } from './delivery/receiver-picker.ts';
export { createDeliveryMetrics, type DeliveryMetrics } from './delivery/delivery-metrics.ts';
export { announcedGrpcAddress, type GrpcAddressSettings } from './delivery/grpc-address.ts';
