// @smsgw/connector: hands routed messages to the outside world (drivers) and turns outcomes into status events.
export { connectorConfig, connectorRenamedVariables } from './config.ts';
export type { ConnectorConfig } from './config.ts';
export { createConnectorMetrics } from './connector-metrics.ts';
export type { ConnectorMetrics } from './connector-metrics.ts';
export { startConnectorWorker } from './connector-worker.ts';
export type { ConnectorWorker, ConnectorWorkerOptions } from './connector-worker.ts';
export { decodeRoutedMessage } from './decode-routed.ts';
export type { DecodedRoutedMessage } from './decode-routed.ts';
export type { Delivery, Driver, StatusReport } from './driver.ts';
export { DRIVER_KINDS, createDriver, isDriverKind } from './drivers.ts';
export type { DriverKind, DriverSettings } from './drivers.ts';
export {
  ConnectorError,
  MalformedRoutedMessageError,
  StatusPublishError,
  TryNextConnectorError,
} from './errors.ts';
export { startHealthPublisher } from './health-publisher.ts';
export type { HealthBucket, HealthPublisher, HealthPublisherOptions } from './health-publisher.ts';
export { handedOn, tryNextExhaustedErrorCode, tryNextMsgId } from './try-next.ts';
export { createSimDriver } from './sim/sim-driver.ts';
export type { SimDriverOptions } from './sim/sim-driver.ts';
export { SimStatus, simOutcomeOf } from './sim/sim-outcome.ts';
export type { SimOutcome } from './sim/sim-outcome.ts';
export { createStatusPublisher, shouldPublish, statusEventMsgId, statusEventOf } from './status-publisher.ts';
export type {
  PublishResult,
  StatusPublisher,
  StatusPublisherOptions,
  StatusTarget,
} from './status-publisher.ts';
