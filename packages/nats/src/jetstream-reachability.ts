/**
 * Leaves a NATS server that offers no JetStream.
 *
 * After a node of the cluster hung and came back, its clients stay connected
 * to it (the connection itself answers pings), but the server may answer "no
 * responders" for every JetStream subject for minutes: in the cluster chaos
 * test a connector kept getting `no responders: 'sms.sim.sim'` on such a node
 * for more than a minute while the other two served every request
 * (docs/operations.md, "A server without JetStream"). nats.js reconnects only
 * when the connection breaks, so the guard asks the server for the JetStream
 * account info every few seconds and, after several "no responders" in a row
 * while connected, forces a reconnect: the client moves on to another server
 * of its pool. Timeouts do not count (a slow or hung server is the pings'
 * business), nor does any JetStream answer, errors included: a server that
 * answers is part of JetStream, even while the cluster elects its leaders.
 */
import { NoRespondersError, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '@smsgw/runtime';

/** How often the server is asked (ms). */
export const REACHABILITY_PROBE_MS = 5_000;
/** "No responders" in a row before the client leaves the server. */
export const REACHABILITY_MISSES = 3;

/** Options of guardJetStreamReachability. */
export interface ReachabilityGuardOptions {
  readonly nc: NatsConnection;
  readonly logger: Logger;
  /** How often the server is asked (ms; default 5 s). */
  readonly probeEveryMs?: number;
  /** "No responders" in a row before reconnecting (default 3). */
  readonly misses?: number;
  /** The JetStream API prefix (default `$JS.API`). */
  readonly apiPrefix?: string;
}

/** A running guard. */
export interface ReachabilityGuard {
  /** Reconnects forced so far. */
  readonly reconnects: number;
  /** One probe (on the timer; public for tests): resolves true when it forced a reconnect. */
  probe(): Promise<boolean>;
  stop(): void;
}

/** Whether a request failed because nobody on this server answers its subject. */
function isNoResponders(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 4; depth++) {
    if (cause instanceof NoRespondersError) return true;
    cause = cause.cause;
  }
  return false;
}

/** Starts probing; see the module comment. */
export function guardJetStreamReachability(options: ReachabilityGuardOptions): ReachabilityGuard {
  const { nc, logger } = options;
  const subject = `${options.apiPrefix ?? '$JS.API'}.INFO`;
  const limit = options.misses ?? REACHABILITY_MISSES;
  let missed = 0;
  let reconnects = 0;
  let probing = false;

  const probe = async (): Promise<boolean> => {
    if (probing || nc.isClosed() || nc.isDraining()) return false;
    probing = true;
    try {
      await nc.request(subject, undefined, { timeout: 2_000 });
      missed = 0;
      return false;
    } catch (error) {
      if (!isNoResponders(error)) return false;
      missed++;
      if (missed < limit) return false;
      missed = 0;
      reconnects++;
      logger.warn(
        { server: nc.getServer(), misses: limit },
        'this NATS server offers no JetStream; reconnecting to another server',
      );
      await nc.reconnect().catch((err: unknown) => {
        logger.warn({ err }, 'forcing a NATS reconnect failed');
      });
      return true;
    } finally {
      probing = false;
    }
  };

  const timer = setInterval(() => {
    void probe();
  }, options.probeEveryMs ?? REACHABILITY_PROBE_MS);
  timer.unref();
  return {
    get reconnects() {
      return reconnects;
    },
    probe,
    stop() {
      clearInterval(timer);
    },
  };
}
