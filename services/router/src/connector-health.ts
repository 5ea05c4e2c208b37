/**
 * What the router knows of each connector's health, from the connectors KV
 * bucket (@smsgw/nats, "Connector health"): which connectors are down, i.e.
 * have had no ready replica for `failoverAfterMs` (services/router/README.md,
 * "Routes and failover"). Pure state fed by watch events (health-watch.ts),
 * read synchronously for every submit; the clock is a parameter.
 *
 * "Last ready" is the later of what the router saw itself (a ready entry that
 * turned unready, was deleted or stopped being rewritten) and what the
 * entries say (lastReadyAt, the writer's clock). A connector with no such
 * evidence counts from when the router started watching: unknown is down
 * once failoverAfterMs has passed, so a connector nobody runs is skipped.
 */
import type { ConnectorHealthEntry } from '@smsgw/nats';

/** Whether a connector is down now; what route selection needs. */
export type IsConnectorDown = (connector: string) => boolean;

interface Replica {
  readonly ready: boolean;
  /** The writer's lastReadyAt, in ms (clamped to the router's now when seen). */
  readonly lastReadyMs: number | undefined;
  /** When the router last saw the entry written (its own clock). */
  readonly seenMs: number;
  readonly ttlMs: number;
}

/** Health of every connector that has announced itself, with the failover rule. */
export class ConnectorHealth {
  readonly #failoverAfterMs: number;
  readonly #startedMs: number;
  /** connector → pod → replica. */
  readonly #replicas = new Map<string, Map<string, Replica>>();
  /** connector → the last moment a replica was seen ready before it went away or unready. */
  readonly #lastReadyMs = new Map<string, number>();

  /** `startedMs`: when the router began watching (the base for connectors it knows nothing of). */
  constructor(failoverAfterMs: number, startedMs: number) {
    this.#failoverAfterMs = failoverAfterMs;
    this.#startedMs = startedMs;
  }

  /** Applies a written entry, seen at `nowMs`. */
  put(entry: ConnectorHealthEntry, nowMs: number): void {
    const pods = this.#pods(entry.connector);
    const previous = pods.get(entry.pod);
    if (previous?.ready === true && !entry.ready) this.#sawReady(entry.connector, nowMs);
    const writerLastReady = entry.lastReadyAt === undefined ? undefined : Date.parse(entry.lastReadyAt);
    pods.set(entry.pod, {
      ready: entry.ready,
      lastReadyMs: writerLastReady === undefined ? undefined : Math.min(writerLastReady, nowMs),
      seenMs: nowMs,
      ttlMs: entry.ttlMs,
    });
  }

  /** Applies a deleted (or purged) entry, seen at `nowMs`. */
  remove(connector: string, pod: string, nowMs: number): void {
    const pods = this.#replicas.get(connector);
    const previous = pods?.get(pod);
    if (previous === undefined) return;
    this.#retire(connector, previous, previous.ready ? nowMs : undefined);
    pods?.delete(pod);
  }

  /** Whether no replica of `connector` has been ready for failoverAfterMs, as of `nowMs`. */
  isDown(connector: string, nowMs: number): boolean {
    const pods = this.#replicas.get(connector);
    let writersLastReady: number | undefined;
    for (const [pod, replica] of pods ?? []) {
      if (nowMs - replica.seenMs > replica.ttlMs) {
        // Not rewritten within its TTL: the replica is gone (the bucket dropped it; watchers are not told).
        this.#retire(connector, replica, replica.ready ? replica.seenMs : undefined);
        pods?.delete(pod);
        continue;
      }
      if (replica.ready) return false;
      if (replica.lastReadyMs !== undefined) {
        writersLastReady = Math.max(writersLastReady ?? replica.lastReadyMs, replica.lastReadyMs);
      }
    }
    const seen = this.#lastReadyMs.get(connector);
    const lastReady = seen === undefined ? writersLastReady : Math.max(seen, writersLastReady ?? seen);
    return nowMs - (lastReady ?? this.#startedMs) >= this.#failoverAfterMs;
  }

  /** The replicas known (not yet expired) of each connector, ready or not: for the admin view and tests. */
  snapshot(): Record<string, { ready: number; replicas: number }> {
    const out: Record<string, { ready: number; replicas: number }> = {};
    for (const [connector, pods] of this.#replicas) {
      const replicas = [...pods.values()];
      out[connector] = { ready: replicas.filter((r) => r.ready).length, replicas: replicas.length };
    }
    return out;
  }

  #pods(connector: string): Map<string, Replica> {
    let pods = this.#replicas.get(connector);
    if (pods === undefined) {
      pods = new Map();
      this.#replicas.set(connector, pods);
    }
    return pods;
  }

  /** Folds what a departing replica said into the connector's last-ready moment. */
  #retire(connector: string, replica: Replica, readyUntilMs: number | undefined): void {
    const candidates = [readyUntilMs, replica.lastReadyMs].filter((v): v is number => v !== undefined);
    if (candidates.length > 0) this.#sawReady(connector, Math.max(...candidates));
  }

  #sawReady(connector: string, atMs: number): void {
    this.#lastReadyMs.set(connector, Math.max(this.#lastReadyMs.get(connector) ?? 0, atMs));
  }
}
