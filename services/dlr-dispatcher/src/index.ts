// @smsgw/dlr-dispatcher: turns status events into delivery reports in each account's backlog, and pushes
// each backlog to the edge pods holding the account's receivers.
// `node src/main.ts` runs the service; these exports let tests and tools run its parts in-process.
export {
  dispatcherConfigSchema,
  dispatcherRenamedVariables,
  loadDispatcherConfig,
  type DispatcherConfig,
} from './config.ts';
export { DispatcherError, PoisonStatusError } from './errors.ts';
export { buildReport, reportIdOf, wantsReport } from './build-report.ts';
export { receiptBytesOf } from './receipt-bytes.ts';
export { referenceTextOf } from './reference-text.ts';
export { decodeEnvelope, decodeStatus } from './decode-status.ts';
export { createDispatcherMetrics, type DispatcherMetrics } from './metrics.ts';
export { handleStatus, type StatusHandlerDeps, type StatusOutcome } from './handle-status.ts';
export { startStatusWorker, type StatusWorker, type StatusWorkerOptions } from './status-worker.ts';
export {
  PresenceView,
  type PodPresence,
  type PresenceListener,
  type PresenceViewOptions,
} from './presence-view.ts';
export { EdgeLink, type EdgeLinkOptions, type LinkOutcome } from './edge-link.ts';
export { WindowLedger, pickPod, type PodCandidate, type WindowLedgerOptions } from './window-ledger.ts';
export {
  pushReport,
  type DeliveryRouting,
  type PushDeps,
  type PushResult,
  type Route,
} from './push-report.ts';
export { AccountPump, type AccountPumpOptions } from './account-pump.ts';
export { DeliveryPusher, type DeliveryPusherOptions } from './delivery-pusher.ts';
export { startPusher, type Pusher, type StartPusherOptions } from './start-pusher.ts';
