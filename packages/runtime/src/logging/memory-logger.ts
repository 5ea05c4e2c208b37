/**
 * A logger that writes into memory: the lines a process would print, kept as
 * strings and parsed on demand. Tests read what was logged through it
 * (@smsgw/testing's captureLogger is this one); pino writes synchronously to a
 * plain stream, so a line is there as soon as the call that logged it returns.
 */
import { createLogger, type Logger, type LoggerConfig } from './logger.ts';

/** One parsed log line; the fields read most are named. */
export interface LogLine {
  readonly level?: string;
  readonly time?: string;
  readonly msg?: string;
  readonly err?: unknown;
  readonly [field: string]: unknown;
}

/** Options of memoryLogger: the logger's config without its destination (service `test`, level `debug` by default). */
export type MemoryLoggerOptions = Partial<Omit<LoggerConfig, 'destination'>>;

/** A logger whose lines stay in memory, and those lines. */
export interface MemoryLogger {
  readonly logger: Logger;
  /** What the logger wrote, one chunk per write (a line each). */
  readonly chunks: string[];
  /** Every line written so far, parsed, oldest first. */
  readonly lines: () => LogLine[];
}

/** A smsgw logger (createLogger, so the lines look as in production) writing into memory. */
export function memoryLogger(options: MemoryLoggerOptions = {}): MemoryLogger {
  const chunks: string[] = [];
  const logger = createLogger({
    service: 'test',
    level: 'debug',
    ...options,
    destination: { write: (chunk: string) => void chunks.push(chunk) },
  });
  const lines = (): LogLine[] =>
    chunks.flatMap((chunk) =>
      chunk
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as LogLine),
    );
  return { logger, chunks, lines };
}
