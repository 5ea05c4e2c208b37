// Test support: a logger whose lines are captured as parsed JSON objects.
import { createLogger } from './logger.ts';
import type { Logger, LoggerConfig } from './logger.ts';

/** One parsed log line; the fields tests look at most are named. */
export interface LogLine {
  readonly level?: string;
  readonly time?: string;
  readonly msg?: string;
  readonly err?: unknown;
  readonly [field: string]: unknown;
}

/** A logger writing into memory (pino writes synchronously to a plain stream), plus what it wrote. */
export function captureLogger(config: Partial<Omit<LoggerConfig, 'destination'>> = {}): {
  logger: Logger;
  chunks: string[];
  lines: () => LogLine[];
} {
  const chunks: string[] = [];
  const logger = createLogger({
    service: 'test',
    level: 'debug',
    ...config,
    destination: { write: (chunk) => void chunks.push(chunk) },
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
