// @smsgw/edge: the session edge. `node src/main.ts` runs it; these exports let tests and other
// code run its parts in-process.
export { Edge, type AccountSource, type EdgeOptions } from './edge.ts';
export { edgeConfigSchema, loadEdgeConfig, type EdgeConfig } from './config.ts';
export { createEdgeMetrics, type EdgeMetrics } from './metrics.ts';
export { Presence, type PresenceOptions } from './presence.ts';
export {
  ID_EPOCH_MS,
  MAX_NODE_ID,
  MessageIdGenerator,
  parseMessageId,
  type MessageIdParts,
} from './message-id.ts';
export { NodeIdLease, NodeIdLeaseError } from './node-id-lease.ts';
export {
  MessageIdUnavailableError,
  fixedMessageIds,
  leasedMessageIds,
  type MessageIdSource,
} from './message-ids.ts';
export {
  ACCEPTED_DATA_CODINGS,
  validateSubmit,
  type AcceptedSubmit,
  type SubmitVerdict,
} from './submit-validation.ts';
export { isTransientPublishError, publishErrorStatus } from './publish-status.ts';
export { submitAcceptedOf, type SubmitOrigin } from './submit-message.ts';
export { CertificateReloader, readCertificatePair, type CertificatePair } from './certificate-reloader.ts';
export { DeliveryServer, type DeliveryServerOptions, type ReceiverSource } from './delivery-server.ts';
export { deliverSmOf } from './deliver-sm.ts';
export { pickReceiver, freeWindowOf, canReceive } from './receiver-picker.ts';
export { createDeliveryMetrics, type DeliveryMetrics } from './delivery-metrics.ts';
export { announcedGrpcAddress, type GrpcAddressSettings } from './grpc-address.ts';
