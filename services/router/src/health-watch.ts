/**
 * Follows the connectors KV bucket into a ConnectorHealth: a KV watch (the
 * last value of every key, then each change), so that route selection reads
 * health from memory and never from NATS per message. A malformed entry is
 * logged and skipped; the watch ending is logged (the router then keeps the
 * last state it knew, and `watching` turns false).
 */
import { KvWatchInclude, type KvWatchEntry, type RoKV } from '@nats-io/kv';
import type { QueuedIterator } from '@nats-io/transport-node';
import { decodeConnectorHealthEntry, parseConnectorHealthKey } from '@smsgw/nats';
import type { Logger } from '@smsgw/runtime';
import type { ConnectorHealth } from './connector-health.ts';

/** A running watch of the connectors bucket. */
export interface HealthWatch {
  /** Whether changes are still followed. */
  readonly watching: boolean;
  /** Stops the watch; resolves when it has ended. */
  stop(): Promise<void>;
}

/** Applies one watch entry; throws TopologyError for a malformed key or value. */
export function applyHealthEntry(health: ConnectorHealth, entry: KvWatchEntry, nowMs: number): void {
  if (entry.operation === 'PUT') {
    health.put(decodeConnectorHealthEntry(entry.key, entry.value), nowMs);
    return;
  }
  const { connector, pod } = parseConnectorHealthKey(entry.key);
  health.remove(connector, pod, nowMs);
}

/** Starts following `kv` into `health`. */
export async function watchConnectorHealth(
  kv: RoKV,
  health: ConnectorHealth,
  logger: Logger,
  now: () => number = Date.now,
): Promise<HealthWatch> {
  const watcher: QueuedIterator<KvWatchEntry> = await kv.watch({ include: KvWatchInclude.LastValue });
  let watching = true;
  const done = (async () => {
    try {
      for await (const entry of watcher) {
        try {
          applyHealthEntry(health, entry, now());
        } catch (err) {
          logger.warn({ err, key: entry.key }, 'malformed connector health entry; skipped');
        }
      }
    } catch (err) {
      logger.error({ err }, 'the connector health watch failed; routes keep the last health known');
    } finally {
      watching = false;
    }
  })();
  return {
    get watching() {
      return watching;
    },
    async stop() {
      watcher.stop();
      await done;
    },
  };
}
