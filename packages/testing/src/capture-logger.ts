import { createLogger, type Logger, type LogLevel } from '@smsgw/runtime';

/** One parsed log line; the fields tests look at most are named. */
export interface LogLine {
  readonly level?: string;
  readonly msg?: string;
  readonly err?: unknown;
  readonly [field: string]: unknown;
}

/** Options of captureLogger. */
export interface CaptureLoggerOptions {
  /** The `service` field of every line (default `test`). */
  readonly service?: string;
  /** Minimum level (default `debug`). */
  readonly level?: LogLevel;
}

/** A logger whose lines stay in memory, and those lines parsed. */
export interface CapturedLogger {
  readonly logger: Logger;
  /** Every line written so far, oldest first. */
  readonly lines: () => LogLine[];
}

/**
 * A smsgw logger (createLogger, so the lines look as in production) writing
 * into memory: pino writes synchronously to a plain stream, so a line is
 * there as soon as the call that logged it returns.
 */
export function captureLogger(options: CaptureLoggerOptions = {}): CapturedLogger {
  const chunks: string[] = [];
  const logger = createLogger({
    service: options.service ?? 'test',
    pod: 'test',
    level: options.level ?? 'debug',
    destination: { write: (chunk: string) => void chunks.push(chunk) },
  });
  const lines = (): LogLine[] =>
    chunks.flatMap((chunk) =>
      chunk
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as LogLine),
    );
  return { logger, lines };
}
