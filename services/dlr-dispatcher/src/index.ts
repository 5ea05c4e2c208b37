// @smsgw/dlr-dispatcher: turns status events into delivery reports in each account's backlog.
// `node src/main.ts` runs the service; these exports let tests and tools run its parts in-process.
export { dispatcherConfigSchema, loadDispatcherConfig, type DispatcherConfig } from './config.ts';
export { DispatcherError, PoisonStatusError } from './errors.ts';
export { buildReport, reportIdOf, wantsReport } from './build-report.ts';
export { receiptBytesOf } from './receipt-bytes.ts';
export { referenceTextOf } from './reference-text.ts';
export { decodeEnvelope, decodeStatus } from './decode-status.ts';
export { traceHeaders } from './trace-headers.ts';
export { retryDelayMs, type RetryPolicy } from './retry.ts';
export { createDispatcherMetrics, type DispatcherMetrics } from './metrics.ts';
export { handleStatus, type StatusHandlerDeps, type StatusOutcome } from './handle-status.ts';
export { startStatusWorker, type StatusWorker, type StatusWorkerOptions } from './status-worker.ts';
