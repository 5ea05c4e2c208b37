/**
 * The router's intake: @smsgw/nats' lane worker on the router's four lanes
 * (`router` on SMS_SUBMIT for priority 0, `router-p<prio>` on
 * SMS_SUBMIT_PRIORITY above it), served by priority with a share for the
 * lower lanes, every submit handed to handleSubmit (docs/architecture.md,
 * "Priority end to end"). Bounds and the two-step shutdown are in
 * lane-worker.ts.
 */
import { routerLanes, startLaneWorker, type LaneIntakeBounds, type PullWorker } from '@smsgw/nats';
import { handleSubmit, type SubmitHandlerDeps } from './handle-submit.ts';
import { WarningLimiter } from './warning-limiter.ts';

/** What startRouterWorker needs: the handler's dependencies plus the intake bounds. */
export type RouterWorkerOptions = SubmitHandlerDeps & LaneIntakeBounds;

/** A running intake loop: stopIntake() ends pulling, drained() waits until every received submit is settled. */
export type RouterWorker = PullWorker;

/** Starts routing submits from the router's lanes (their consumers must exist: ensureTopology). */
export async function startRouterWorker(options: RouterWorkerOptions): Promise<RouterWorker> {
  // One limiter per worker, shared by all its submits.
  const deps = { ...options, unknownAccountWarnings: options.unknownAccountWarnings ?? new WarningLimiter() };
  return await startLaneWorker({
    js: options.js,
    lanes: routerLanes(),
    prefetch: options.batchSize,
    pullExpiresMs: options.pullExpiresMs,
    concurrency: options.concurrency,
    lowerLaneEvery: options.lowerLaneEvery ?? 10,
    ackWaitMs: options.ackWaitMs ?? 30_000,
    handle: (m) => handleSubmit(m, deps),
    logger: options.logger,
    name: 'router',
    onInFlight: options.metrics.inFlight,
    ...(options.restartDelayMs === undefined ? {} : { retryMs: options.restartDelayMs }),
    ...(options.stallWatch === undefined ? {} : { stallWatch: options.stallWatch }),
  });
}
