/**
 * The router's intake: @smsgw/nats' pull worker on the shared `router`
 * durable of SMS_SUBMIT, every submit handed to handleSubmit. The pull loop
 * (fetch, bounds, two-step shutdown) and its reasons are in pull-worker.ts.
 */
import { ConsumerName, StreamName, startPullWorker, type PullBounds, type PullWorker } from '@smsgw/nats';
import { handleSubmit, type SubmitHandlerDeps } from './handle-submit.ts';
import { WarningLimiter } from './warning-limiter.ts';

/** What startRouterWorker needs: the handler's dependencies plus the intake bounds. */
export type RouterWorkerOptions = SubmitHandlerDeps & PullBounds;

/** A running intake loop: stopIntake() ends pulling, drained() waits until every received submit is settled. */
export type RouterWorker = PullWorker;

/** Starts routing submits from the router consumer. */
export function startRouterWorker(options: RouterWorkerOptions): RouterWorker {
  // One limiter per worker, shared by all its submits.
  const deps = { ...options, unknownAccountWarnings: options.unknownAccountWarnings ?? new WarningLimiter() };
  return startPullWorker({
    ...options,
    stream: StreamName.submit,
    consumer: ConsumerName.router,
    handle: (m) => handleSubmit(m, deps),
    name: 'router',
    onInFlight: options.metrics.inFlight,
  });
}
