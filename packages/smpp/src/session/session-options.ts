/**
 * Session tuning and its defaults. All durations are milliseconds; 0 turns a
 * timer off. Defaults follow common practice (Kannel, GatewayAPI's advice of
 * enquire_link every 30 s) and differ by role only where the spec does: the
 * server side enforces a bind timeout and closes idle sessions.
 */
import { DEFAULT_MAX_COMMAND_LENGTH } from './frame-decoder.ts';
import type { SessionRole } from './session-state.ts';

/** Options of an SmppSession. */
export interface SessionOptions {
  /** Maximum unacknowledged requests we send (outbound window). Default 10. */
  windowSize?: number;
  /**
   * Requests that wait for a window slot, in FIFO order; beyond that `request()`
   * rejects with WindowFullError. 0 = never wait. Default 1000.
   */
  maxQueuedRequests?: number;
  /** Unanswered inbound requests at which the socket stops being read (inbound backpressure). Default 100. */
  inboundWindow?: number;
  /** Time to wait for the response to a request of ours (also enquire_link and unbind). Default 30 000. */
  responseTimeout?: number;
  /** Send enquire_link when nothing arrived for this long, while bound. Default 30 000. */
  enquireLinkInterval?: number;
  /** Close when nothing arrived from the peer for this long. Default: server 300 000, client 0 (off). */
  inactivityTimeout?: number;
  /** Server side: close when the peer has not bound within this time. Default: server 10 000, client 0. */
  bindTimeout?: number;
  /** Largest command_length accepted; larger means framing is lost. Default 70 000. */
  maxCommandLength?: number;
  /**
   * Bytes queued in the socket beyond which reading pauses until 'drain', so a
   * peer that floods requests without reading our answers cannot grow memory.
   * Far above what the windows allow a well-behaved peer. Default 4 MiB.
   */
  writeBufferLimit?: number;
  /**
   * Our writes not yet handed to the kernel at which reading pauses until
   * they are: each queued answer costs a Buffer and a queue entry, so a peer
   * that sends enquire_links without reading the answers is stopped by count
   * long before writeBufferLimit's bytes. Default 1024.
   */
  maxUnflushedWrites?: number;
  /**
   * Server side, before bind: PDUs the peer may send (binds, enquire_links…);
   * one more ends the connection ('unbound-limit'). A client that has not
   * bound has nothing to pipeline, so what it can make us answer and hold is
   * small whether or not it reads. Default 32.
   */
  unboundMaxPdus?: number;
  /**
   * Server side, before bind: the largest command_length accepted (a bind is
   * under 200 octets); larger is a framing error and the connection ends.
   * Default 1024.
   */
  unboundMaxCommandLength?: number;
  /** After a graceful end (unbind, framing error), destroy the socket if the peer has not closed within this time. Default 2000. */
  closeGrace?: number;
  /** Body of our error responses: 'omit' (3.4, header only) or 'empty' (a NUL message_id, for 3.3-era clients). Default 'omit'. */
  errorResponseBody?: 'omit' | 'empty';
}

/** SessionOptions with every default applied. */
export type ResolvedSessionOptions = Required<SessionOptions>;

const COMMON = {
  windowSize: 10,
  maxQueuedRequests: 1000,
  inboundWindow: 100,
  responseTimeout: 30_000,
  enquireLinkInterval: 30_000,
  maxCommandLength: DEFAULT_MAX_COMMAND_LENGTH,
  writeBufferLimit: 4 * 1024 * 1024,
  maxUnflushedWrites: 1024,
  unboundMaxPdus: 32,
  unboundMaxCommandLength: 1024,
  closeGrace: 2000,
  errorResponseBody: 'omit',
} as const;

/** The defaults of each role. */
export const DEFAULT_SESSION_OPTIONS: Record<SessionRole, ResolvedSessionOptions> = {
  server: { ...COMMON, inactivityTimeout: 300_000, bindTimeout: 10_000 },
  client: { ...COMMON, inactivityTimeout: 0, bindTimeout: 0 },
};

/** Applies the role's defaults and checks ranges. @throws RangeError on a bad value. */
export function resolveSessionOptions(
  role: SessionRole,
  options: SessionOptions = {},
): ResolvedSessionOptions {
  const d = DEFAULT_SESSION_OPTIONS[role];
  const resolved: ResolvedSessionOptions = {
    windowSize: options.windowSize ?? d.windowSize,
    maxQueuedRequests: options.maxQueuedRequests ?? d.maxQueuedRequests,
    inboundWindow: options.inboundWindow ?? d.inboundWindow,
    responseTimeout: options.responseTimeout ?? d.responseTimeout,
    enquireLinkInterval: options.enquireLinkInterval ?? d.enquireLinkInterval,
    inactivityTimeout: options.inactivityTimeout ?? d.inactivityTimeout,
    bindTimeout: options.bindTimeout ?? d.bindTimeout,
    maxCommandLength: options.maxCommandLength ?? d.maxCommandLength,
    writeBufferLimit: options.writeBufferLimit ?? d.writeBufferLimit,
    maxUnflushedWrites: options.maxUnflushedWrites ?? d.maxUnflushedWrites,
    unboundMaxPdus: options.unboundMaxPdus ?? d.unboundMaxPdus,
    unboundMaxCommandLength: options.unboundMaxCommandLength ?? d.unboundMaxCommandLength,
    closeGrace: options.closeGrace ?? d.closeGrace,
    errorResponseBody: options.errorResponseBody ?? d.errorResponseBody,
  };
  for (const key of ['windowSize', 'inboundWindow', 'responseTimeout', 'maxUnflushedWrites'] as const) {
    requireInteger(key, resolved[key], 1);
  }
  for (const key of [
    'maxQueuedRequests',
    'enquireLinkInterval',
    'inactivityTimeout',
    'bindTimeout',
    'writeBufferLimit',
    'unboundMaxPdus',
    'closeGrace',
  ] as const) {
    requireInteger(key, resolved[key], 0);
  }
  requireInteger('maxCommandLength', resolved.maxCommandLength, 16);
  requireInteger('unboundMaxCommandLength', resolved.unboundMaxCommandLength, 16);
  return resolved;
}

function requireInteger(name: string, value: number, min: number): void {
  // Timer durations above 2^31-1 ms overflow Node timers into 1 ms.
  if (!Number.isInteger(value) || value < min || value > 0x7fffffff) {
    throw new RangeError(`${name} must be an integer in ${min}..2147483647, got ${value}`);
  }
}
