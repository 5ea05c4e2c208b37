/**
 * Pushes one delivery report from an account's backlog to a client: up to
 * maxAttempts attempts, each through the pod with the most free window that
 * this report has not been tried on yet (DeliveryRouting.acquire). Acked only
 * when an edge says DELIVERED (the client's deliver_sm_resp was ESME_ROK,
 * DESIGN.md invariant 3); after a rejection, a timeout, no receiver, a pod
 * shutting down or a broken stream it goes to the next pod; when none is left
 * it is nak'ed with a back-off delay and comes back to whichever replica pulls
 * next. A report whose bytes are not a DeliveryReport is terminated.
 */
import { fromBinary } from '@bufbuild/protobuf';
import type { JsMsg } from '@nats-io/jetstream';
import { DeliverOutcome, DeliveryReportSchema, deliverOutcomeLabel, type DeliveryReport } from '@smsgw/proto';
import type { Logger } from '@smsgw/runtime';
import type { EdgeLink, LinkOutcome } from './edge-link.ts';
import type { DispatcherMetrics } from './metrics.ts';
import { retryDelayMs, type RetryPolicy } from './retry.ts';

/** A pod chosen for one attempt; hand it back with DeliveryRouting.release. */
export interface Route {
  readonly pod: string;
  readonly address: string;
  readonly link: EdgeLink;
  readonly account: string;
}

/** Where attempts go: implemented by the DeliveryPusher over presence, links and the window ledger. */
export interface DeliveryRouting {
  /** The pod for the next attempt of a report of `account`, skipping `tried` addresses; counts the send. */
  acquire(account: string, tried: ReadonlySet<string>): Route | undefined;
  /** The attempt through `route` settled. */
  release(route: Route): void;
}

/** What pushReport needs. */
export interface PushDeps {
  readonly routing: DeliveryRouting;
  readonly metrics: DispatcherMetrics;
  readonly logger: Logger;
  /** Attempts before the report is nak'ed for later. */
  readonly maxAttempts: number;
  /** The nak back-off. */
  readonly retry: RetryPolicy;
}

/** How the report's delivery from the backlog ended this time. */
export type PushResult = 'delivered' | 'retry' | 'poison';

/** The metric label of an attempt's outcome. */
function labelOf(outcome: LinkOutcome): string {
  if (outcome.kind === 'failed') return `link_${outcome.reason}`;
  return deliverOutcomeLabel(outcome.outcome);
}

/** Pushes one report of `account` (see the module comment); never rejects. */
export async function pushReport(m: JsMsg, account: string, deps: PushDeps): Promise<PushResult> {
  const { routing, metrics, logger } = deps;
  let report: DeliveryReport;
  try {
    report = fromBinary(DeliveryReportSchema, m.data);
  } catch (error) {
    logger.error(
      { err: error, account, stream_seq: m.seq },
      'backlog entry is not a DeliveryReport: terminated',
    );
    metrics.backlogPoison.inc();
    m.term();
    return 'poison';
  }
  const tried = new Set<string>();
  for (let attempt = 1; attempt <= deps.maxAttempts; attempt++) {
    const route = routing.acquire(account, tried);
    if (route === undefined) break;
    tried.add(route.address);
    // An attempt may wait out the edge's deliver_sm timeout: keep ack_wait from running out meanwhile.
    m.working();
    const started = performance.now();
    const outcome = await route.link.deliver(report);
    routing.release(route);
    const label = labelOf(outcome);
    metrics.pushes.inc({ outcome: label });
    metrics.pushSeconds.observe({ outcome: label }, (performance.now() - started) / 1000);
    if (outcome.kind === 'result' && outcome.outcome === DeliverOutcome.DELIVERED) {
      m.ack();
      return 'delivered';
    }
    logger.debug(
      {
        message_id: report.messageId,
        account,
        pod: route.pod,
        outcome: label,
        command_status: outcome.kind === 'result' ? outcome.commandStatus : undefined,
        attempt,
      },
      'delivery report not delivered; trying elsewhere',
    );
  }
  const delayMs = retryDelayMs(deps.retry, m.info.deliveryCount);
  metrics.pushRetried.inc();
  m.nak(delayMs);
  return 'retry';
}
