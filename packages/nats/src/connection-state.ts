/**
 * Whether the NATS connection is usable right now, for readiness: false while
 * it is reconnecting (the client buffers, a service can neither store nor
 * publish) and after it closed. Connection events are logged once each, at
 * warn/info.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '@smsgw/runtime';

/** Follows a connection's status events; returns a readiness check. */
export function trackConnection(nc: NatsConnection, logger: Logger): () => boolean {
  let connected = true;
  const follow = async (): Promise<void> => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') {
        connected = false;
        logger.warn({ server: s.server }, 'NATS connection lost; reconnecting');
      } else if (s.type === 'reconnect') {
        connected = true;
        logger.info({ server: s.server }, 'NATS connection back');
      }
    }
  };
  follow().catch((error: unknown) => {
    logger.warn({ err: error }, 'NATS status events ended');
  });
  return () => connected && !nc.isClosed();
}
