// @smsgw/runtime: what every smsgw service shares — config from the environment, pino logging,
// admin endpoints (/livez, /readyz, /metrics) and one graceful shutdown path.
export { ConfigError } from './config/config-error.ts';
export type { ConfigIssue } from './config/config-error.ts';
export { parseDurationMs } from './config/duration.ts';
export { env, logLevels } from './config/env-shapes.ts';
export type { DurationRangeMs, LogLevel } from './config/env-shapes.ts';
export { loadConfig } from './config/load-config.ts';
export type { Environment, LoadConfigOptions } from './config/load-config.ts';
export {
  baseRenamedVariables,
  deprecatedVariablesOf,
  logDeprecatedVariables,
  renameVariables,
  renamedVariablesOf,
  withRenamedVariables,
} from './config/renamed-variables.ts';
export type { DeprecatedVariable, RenameOutcome, RenamedVariables } from './config/renamed-variables.ts';
export {
  baseConfig,
  sharedSettings,
  defaultAdminHost,
  defaultAdminPort,
  defaultNatsUrl,
  defaultShutdownGraceMs,
  defineServiceConfig,
} from './config/base-config.ts';
export type { BaseConfig } from './config/base-config.ts';

export { componentLogger, createLogger, redactedPaths } from './logging/logger.ts';
export type { LogMixin, Logger, LoggerConfig } from './logging/logger.ts';

export { Readiness, defaultCheckTimeoutMs } from './health/readiness.ts';
export type { CheckOutcome, ReadinessCheck, ReadinessOptions, ReadinessReport } from './health/readiness.ts';

export { Counter, Gauge, Histogram, Registry, Summary, createMetrics } from './metrics/metrics.ts';
export type { Metrics, MetricsOptions } from './metrics/metrics.ts';

export { startAdminServer } from './admin/admin-server.ts';
export type { AdminServer, AdminServerOptions } from './admin/admin-server.ts';

export { createShutdown, shutdownPhases } from './shutdown/shutdown.ts';
export type {
  Shutdown,
  ShutdownContext,
  ShutdownHook,
  ShutdownOptions,
  ShutdownOutcome,
  ShutdownPhase,
} from './shutdown/shutdown.ts';

export { runService } from './service/run-service.ts';
export type { RunServiceOptions, ServiceContext } from './service/run-service.ts';

export { TurnBatch } from './turn/turn-batch.ts';
export { nextTurn } from './turn/next-turn.ts';
export { findNatsServerBinary } from './local/nats-server-binary.ts';
export { getFreePort, getFreePorts } from './local/free-port.ts';
export {
  memoryLogger,
  type LogLine,
  type MemoryLogger,
  type MemoryLoggerOptions,
} from './logging/memory-logger.ts';
