/**
 * The dispatcher's MO intake: @smsgw/nats' lane worker on one lane, the shared
 * consumer `dlr-dispatcher-mo` on SMS_MO, every MO handed to handleMo. The
 * status stage's intake (status-worker.ts) with the same bounds and shutdown.
 */
import {
  ConsumerName,
  StreamName,
  startLaneWorker,
  type LaneIntakeBounds,
  type PullWorker,
} from '@smsgw/nats';
import { handleMo, type MoHandlerDeps } from './handle-mo.ts';

/** What startMoWorker needs: the handler's dependencies plus the intake bounds. */
export type MoWorkerOptions = MoHandlerDeps & LaneIntakeBounds;

/** Starts turning MOs into deliver_sm for the accounts' receivers (the consumer must exist: ensureTopology). */
export async function startMoWorker(options: MoWorkerOptions): Promise<PullWorker> {
  return await startLaneWorker({
    js: options.js,
    lanes: [{ priority: 0, stream: StreamName.mo, consumer: ConsumerName.moDispatcher }],
    prefetch: options.batchSize,
    pullExpiresMs: options.pullExpiresMs,
    concurrency: options.concurrency,
    lowerLaneEvery: 0,
    ackWaitMs: options.ackWaitMs ?? 30_000,
    handle: (m) => handleMo(m, options),
    logger: options.logger,
    name: 'mo',
    ...(options.restartDelayMs === undefined ? {} : { retryMs: options.restartDelayMs }),
    ...(options.stallWatch === undefined ? {} : { stallWatch: options.stallWatch }),
  });
}
