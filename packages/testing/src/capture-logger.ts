import { memoryLogger, type MemoryLogger, type MemoryLoggerOptions } from '@smsgw/runtime';

export type { LogLine } from '@smsgw/runtime';

/** Options of captureLogger: the logger's config without its destination (service and pod `test`, level `debug` by default). */
export type CaptureLoggerOptions = MemoryLoggerOptions;

/** A logger whose lines stay in memory, and those lines parsed. */
export type CapturedLogger = MemoryLogger;

/** A smsgw logger writing into memory (@smsgw/runtime memoryLogger), its pod `test` unless given. */
export function captureLogger(options: CaptureLoggerOptions = {}): CapturedLogger {
  return memoryLogger({ pod: 'test', ...options });
}
