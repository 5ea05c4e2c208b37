/**
 * The dispatcher's intake: @smsgw/nats' lane worker on the dispatcher's four
 * status lanes (`dlr-dispatcher` on SMS_STATUS for priority 0,
 * `dlr-dispatcher-p<prio>` on SMS_STATUS_PRIORITY above it), served by
 * priority with a share for the lower lanes, every status event handed to
 * handleStatus (docs/architecture.md, "Priority end to end"). Bounds and the
 * two-step shutdown are in lane-worker.ts.
 */
import { dlrDispatcherLanes, startLaneWorker, type LaneIntakeBounds, type PullWorker } from '@smsgw/nats';
import { handleStatus, type StatusHandlerDeps } from './handle-status.ts';

/** What startStatusWorker needs: the handler's dependencies plus the intake bounds. */
export type StatusWorkerOptions = StatusHandlerDeps & LaneIntakeBounds;

/** A running intake loop: stopIntake() ends pulling, drained() waits until every received event is settled. */
export type StatusWorker = PullWorker;

/** Starts turning status events into delivery reports (the lanes' consumers must exist: ensureTopology). */
export async function startStatusWorker(options: StatusWorkerOptions): Promise<StatusWorker> {
  return await startLaneWorker({
    js: options.js,
    lanes: dlrDispatcherLanes(),
    prefetch: options.batchSize,
    pullExpiresMs: options.pullExpiresMs,
    concurrency: options.concurrency,
    lowerLaneEvery: options.lowerLaneEvery ?? 10,
    ackWaitMs: options.ackWaitMs ?? 30_000,
    handle: (m) => handleStatus(m, options),
    logger: options.logger,
    name: 'dispatcher',
    onInFlight: options.metrics.inFlight,
    ...(options.restartDelayMs === undefined ? {} : { retryMs: options.restartDelayMs }),
    ...(options.stallWatch === undefined ? {} : { stallWatch: options.stallWatch }),
  });
}
