/**
 * Whether this process records spans, decided once at start (register.ts, or
 * a test's startTestTracing): hot paths read it to skip all tracing work when
 * nothing would be exported. Without an SDK the OpenTelemetry API is a no-op
 * anyway; the flag saves even the no-op calls where every microsecond counts
 * (the edge's submit path).
 */

/** What the running SDK needs at shutdown. */
export interface TelemetryHandle {
  /** Exports what is buffered and stops the SDK. */
  shutdown(): Promise<void>;
}

let handle: TelemetryHandle | undefined;

/** True when an SDK records spans in this process. */
export function isTracingEnabled(): boolean {
  return handle !== undefined;
}

/** Records the running SDK (undefined: tracing is off). */
export function setTelemetryHandle(next: TelemetryHandle | undefined): void {
  handle = next;
}

/** Exports buffered spans and stops the SDK; resolves at once when tracing is off. Safe to call twice. */
export async function shutdownTelemetry(): Promise<void> {
  const current = handle;
  handle = undefined;
  await current?.shutdown();
}
