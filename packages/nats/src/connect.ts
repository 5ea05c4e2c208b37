import { connect, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';

/** Connection options: those of @nats-io/transport-node, with servers and a name (shown in the server's connz) required. */
export type ConnectNatsOptions = NodeConnectionOptions & {
  readonly servers: string | string[];
  readonly name: string;
};

/**
 * Reconnect behaviour of every smsgw connection: never give up (a NATS
 * rolling restart must not kill pods), wait 2 s plus up to 1 s (2 s on TLS)
 * of jitter between tries so that all pods do not return in the same instant,
 * and wait for the first connection too, so that a pod started before NATS
 * stays up (not ready) instead of crash-looping. Detects a hung server (one
 * that keeps its sockets open and answers nothing) after two missed 3 s
 * pings, 6–9 s, and moves to another: with the old three missed 20 s pings a
 * connection stayed on a hung node for a minute, and an edge on it answered
 * every submit ESME_RMSGQFUL all that time (docs/operations.md, "Recovery
 * time"). A ping every 3 s is one small frame per connection.
 *
 * noAsyncTraces: by default every request (each js.publish, KV put, ack
 * with reply, pull) creates an Error up front only to keep the caller's stack
 * for a later timeout; that stack capture was about half the CPU of a NATS
 * request in profiles. Errors still carry their cause and the request subject.
 */
export const RECONNECT_DEFAULTS = {
  maxReconnectAttempts: -1,
  reconnectTimeWait: 2_000,
  reconnectJitter: 1_000,
  reconnectJitterTLS: 2_000,
  waitOnFirstConnect: true,
  pingInterval: 3_000,
  maxPingOut: 2,
  noAsyncTraces: true,
} as const satisfies NodeConnectionOptions;

/** Connects with RECONNECT_DEFAULTS; anything in options overrides them. */
export function connectNats(options: ConnectNatsOptions): Promise<NatsConnection> {
  return connect({ ...RECONNECT_DEFAULTS, ...options });
}
