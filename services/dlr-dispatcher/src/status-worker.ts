/**
 * The dispatcher's intake: @smsgw/nats' pull worker on the shared
 * `dlr-dispatcher` durable of SMS_STATUS, every status event handed to
 * handleStatus. The pull loop (fetch, bounds, two-step shutdown) and its
 * reasons are in pull-worker.ts.
 */
import { ConsumerName, StreamName, startPullWorker, type PullBounds, type PullWorker } from '@smsgw/nats';
import { handleStatus, type StatusHandlerDeps } from './handle-status.ts';

/** What startStatusWorker needs: the handler's dependencies plus the intake bounds. */
export type StatusWorkerOptions = StatusHandlerDeps & PullBounds;

/** A running intake loop: stopIntake() ends pulling, drained() waits until every received event is settled. */
export type StatusWorker = PullWorker;

/** Starts turning status events into delivery reports. */
export function startStatusWorker(options: StatusWorkerOptions): StatusWorker {
  return startPullWorker({
    ...options,
    stream: StreamName.status,
    consumer: ConsumerName.dlrDispatcher,
    handle: (m) => handleStatus(m, options),
    name: 'dispatcher',
    onInFlight: options.metrics.inFlight,
  });
}
