// Structured logs: pino JSON on stdout, one event per line, for the cluster's log collector.
// Humans pipe it through pino-pretty (`node main.ts | npx pino-pretty`); services never pretty-print.
// stdout is written synchronously: pino's asynchronous default can reorder or lose the last lines
// when the process exits (the lines that explain a shutdown or a crash). Nothing on the SMPP hot
// path logs at info, so the cost of a write per line is paid only by events worth logging.
import { hostname } from 'node:os';
import { pino } from 'pino';
import type { DestinationStream, Logger, LoggerOptions } from 'pino';
import type { LogLevel } from '../config/env-shapes.ts';
import { traceContextFields } from './trace-mixin.ts';

/** A pino logger; services and packages take this type rather than importing pino. */
export type { Logger } from 'pino';

/** Extra fields for every log line, computed per call (on top of the active span's trace_id/span_id). */
export type LogMixin = () => Record<string, unknown>;

/** Options of createLogger. */
export interface LoggerConfig {
  /** The service's name, on every line as `service`. */
  readonly service: string;
  /** The pod's name, on every line as `pod` (default: the hostname, which Kubernetes sets to it). */
  readonly pod?: string;
  /** Minimum level (default `info`). */
  readonly level?: LogLevel;
  /** Fields merged into every line besides the active span's trace_id/span_id/trace_flags (which every logger adds). */
  readonly mixin?: LogMixin;
  /** Where lines go (default: stdout, written synchronously). Tests pass a capturing stream. */
  readonly destination?: DestinationStream;
}

/** Paths whose values never reach a log line, whatever object they are logged in. */
export const redactedPaths: readonly string[] = ['password', '*.password', 'passwordHash', '*.passwordHash'];

/**
 * Creates a service's root logger: JSON lines with `level` (label), ISO `time`, `service`, `pod`,
 * `msg`; errors under `err` serialized with their causes; password fields redacted; inside an active
 * OpenTelemetry span, `trace_id`, `span_id` and `trace_flags` (trace-mixin.ts).
 * Components take a child: `logger.child({ component: 'session' })`, see `componentLogger`.
 */
export function createLogger(config: LoggerConfig): Logger {
  const { mixin } = config;
  const options: LoggerOptions = {
    level: config.level ?? 'info',
    base: { service: config.service, pod: config.pod ?? hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names ("info") rather than numbers, so log queries read like the code.
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: pino.stdSerializers.errWithCause },
    redact: { paths: [...redactedPaths], censor: '[Redacted]' },
    mixin: mixin === undefined ? traceContextFields : () => ({ ...traceContextFields(), ...mixin() }),
  };
  return pino(options, config.destination ?? pino.destination({ dest: 1, sync: true }));
}

/** A child logger for one component of a service; its lines carry `component`. */
export function componentLogger(
  logger: Logger,
  component: string,
  bindings: Record<string, unknown> = {},
): Logger {
  return logger.child({ component, ...bindings });
}
