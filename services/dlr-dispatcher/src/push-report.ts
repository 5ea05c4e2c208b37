/**
 * Pushes one delivery report from an account's backlog to a client: up to
 * maxAttempts attempts, each through the pod with the most free window that
 * this report has not been tried on yet (DeliveryRouting.acquire). Acked only
 * when an edge says DELIVERED (the client's deliver_sm_resp was ESME_ROK,
 * docs/architecture.md invariant 3); after a rejection, a timeout, a pod shutting down or
 * a broken stream it goes to the next pod; when none is left it is nak'ed with
 * a back-off delay and comes back to whichever replica pulls next.
 *
 * Capacity is not a failure: when no pod has room, or a pod answers
 * NO_RECEIVER (its windows were full, e.g. taken by another replica), the
 * report waits here for room (up to roomWaitMs, ahead of new pulls) and is
 * sent again; only then is it nak'ed, with the shortest delay. A nak'ed report
 * keeps its max_ack_pending slot until it comes back, so backing off from a
 * full window would only idle the account's consumer.
 *
 * A report whose bytes are not a DeliveryReport is terminated.
 *
 * Tracing: a CONSUMER span `process sms.dlr.{account}` per delivery from the
 * backlog (parent: the report message's headers, else the report's own trace
 * fields), and under it one CLIENT span `smsgw.v1.EdgeDelivery/Deliver` per
 * attempt, whose context the report sent carries in its traceparent field
 * (one gRPC stream carries many reports, so gRPC metadata cannot carry it);
 * the edge's spans continue from there.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { timestampMs } from '@bufbuild/protobuf/wkt';
import type { JsMsg } from '@nats-io/jetstream';
import type { Context, Span } from '@opentelemetry/api';
import { retryDelayMs, type RetryPolicy } from '@smsgw/nats';
import { nextTurn } from '@smsgw/runtime';
import { DeliverOutcome, DeliveryReportSchema, deliverOutcomeLabel, type DeliveryReport } from '@smsgw/proto';
import type { Logger } from '@smsgw/runtime';
import { CommandStatus, messageStateName } from '@smsgw/smpp';
import {
  SmppAttr,
  SmsgwAttr,
  SubjectTemplate,
  contextWithSpan,
  injectIntoFields,
  UNTRACED_SPAN,
  isTracingEnabled,
  recordCommandStatus,
  recordError,
  recordFailure,
  startDeliverClientSpan,
  processMessage,
  tracerFor,
} from '@smsgw/telemetry';
import type { EdgeLink, LinkOutcome } from './edge-link.ts';
import type { DispatcherMetrics } from './metrics.ts';
import { KEEP_ALIVE_MS } from './config.ts';

/** A pod chosen for one attempt; hand it back with DeliveryRouting.release. */
export interface Route {
  readonly pod: string;
  readonly address: string;
  readonly link: EdgeLink;
  readonly account: string;
  /** The delivery_id the attempt is sent as (taken from the link when the route was chosen). */
  readonly deliveryId: bigint;
}

/** Where attempts go: implemented by the DeliveryPusher over presence, links and the window ledger. */
export interface DeliveryRouting {
  /** The pod for the next attempt of a report of `account`, skipping `tried` addresses; counts the send. */
  acquire(account: string, tried: ReadonlySet<string>): Route | undefined;
  /** The attempt through `route` settled. */
  release(route: Route): void;
  /**
   * Waits for room for one report of `account` of `priority` (by priority, then first come, first served,
   * ahead of new pulls); false when none came within maxWaitMs or the account's pump is stopping.
   */
  waitForRoom(account: string, maxWaitMs: number, priority?: number): Promise<boolean>;
}

/** What pushReport needs. */
export interface PushDeps {
  readonly routing: DeliveryRouting;
  readonly metrics: DispatcherMetrics;
  readonly logger: Logger;
  /** Attempts before the report is nak'ed for later. */
  readonly maxAttempts: number;
  /** The nak back-off (a report only capacity kept from its client is nak'ed with minMs). */
  readonly retry: RetryPolicy;
  /** How long a report that found no room (or only NO_RECEIVER) waits for some before it is nak'ed (ms). */
  readonly roomWaitMs: number;
  /** Whether to make spans (default: whether this process records any, isTracingEnabled). */
  readonly tracing?: boolean;
}

/** How the report's delivery from the backlog ended this time. */
export type PushResult = 'delivered' | 'retry' | 'poison';

/** The dispatcher's tracer. */
const tracer = tracerFor('@smsgw/dlr-dispatcher');

/** The metric label of an attempt's outcome. */
function labelOf(outcome: LinkOutcome): string {
  if (outcome.kind === 'failed') return `link_${outcome.reason}`;
  return deliverOutcomeLabel(outcome.outcome);
}

/** Whether an attempt's outcome is the client's deliver_sm_resp ESME_ROK. */
export function isDelivered(outcome: LinkOutcome): boolean {
  return outcome.kind === 'result' && outcome.outcome === DeliverOutcome.DELIVERED;
}

/**
 * One attempt through `route` (already acquired; released here): a CLIENT
 * span whose context the report as sent carries, the edge's answer, the
 * attempt's metrics.
 */
export async function sendAttempt(
  route: Route,
  report: DeliveryReport,
  processing: Context | undefined,
  attempt: number,
  deps: Pick<PushDeps, 'routing' | 'metrics'>,
): Promise<LinkOutcome> {
  const client =
    processing === undefined ? UNTRACED_SPAN : startDeliverClientSpan(tracer, processing, route.address);
  let sent = report;
  if (processing !== undefined) {
    if (client.isRecording()) {
      client.setAttribute(SmsgwAttr.edgePod, route.pod);
      client.setAttribute(SmsgwAttr.attempt, attempt);
    }
    // The report as sent carries this attempt's context: the edge's spans become its children.
    sent = { ...report };
    injectIntoFields(contextWithSpan(processing, client), sent);
  }
  const started = performance.now();
  const outcome = await route.link.deliver(sent, route.deliveryId);
  deps.routing.release(route);
  const label = labelOf(outcome);
  recordAttempt(client, outcome, label);
  client.end();
  deps.metrics.pushes.inc({ outcome: label });
  deps.metrics.pushSeconds.observe({ outcome: label }, (performance.now() - started) / 1000);
  return outcome;
}

/** Pushes one report of `account` (see the module comment); never rejects. */
export async function pushReport(
  m: JsMsg,
  account: string,
  deps: PushDeps,
  priority = 0,
): Promise<PushResult> {
  let report: DeliveryReport | undefined;
  let malformed: unknown;
  try {
    report = fromBinary(DeliveryReportSchema, m.data);
  } catch (error) {
    malformed = error;
  }
  if (!(deps.tracing ?? isTracingEnabled())) {
    // Tracing off (no exporter): not even the no-op API calls, on a path taken once per report.
    return report === undefined
      ? terminate(m, account, deps, UNTRACED_SPAN, malformed)
      : await push(m, account, deps, report, undefined, UNTRACED_SPAN, priority);
  }
  return processMessage(
    tracer,
    m,
    // SMS_DLR (priority 0) or SMS_DLR_PRIORITY.
    { template: SubjectTemplate.dlr, stream: m.info.stream, fallback: report },
    (processing, span) =>
      report === undefined
        ? terminate(m, account, deps, span, malformed)
        : push(m, account, deps, report, processing, span, priority),
  );
}

function terminate(m: JsMsg, account: string, deps: PushDeps, span: Span, error: unknown): PushResult {
  recordError(span, error, 'backlog entry is not a DeliveryReport: terminated');
  deps.logger.error(
    { err: error, account, stream_seq: m.seq },
    'backlog entry is not a DeliveryReport: terminated',
  );
  deps.metrics.backlogPoison.inc();
  m.term();
  return 'poison';
}

/** Records an attempt's outcome on its client span: the client's command_status, or why there was none. */
function recordAttempt(span: Span, outcome: LinkOutcome, label: string): void {
  span.setAttribute(SmsgwAttr.outcome, label);
  if (
    outcome.kind === 'result' &&
    (outcome.outcome === DeliverOutcome.DELIVERED || outcome.commandStatus !== 0)
  ) {
    recordCommandStatus(
      span,
      outcome.outcome === DeliverOutcome.DELIVERED ? CommandStatus.ESME_ROK : outcome.commandStatus,
    );
  } else {
    recordFailure(span, label, `not delivered: ${label}`);
  }
}

async function push(
  m: JsMsg,
  account: string,
  deps: PushDeps,
  report: DeliveryReport,
  processing: Context | undefined,
  span: Span,
  priority: number,
): Promise<PushResult> {
  const { routing, metrics, logger } = deps;
  if (span.isRecording()) {
    span.setAttributes({
      [SmppAttr.systemId]: account,
      [SmppAttr.messageId]: report.messageId,
      [SmppAttr.messageState]: messageStateName(report.messageState) ?? String(report.messageState),
    });
  }
  const tried = new Set<string>();
  // NO_RECEIVER (every window of the account on the pod full, or its sessions just went) and "no pod has
  // room" are capacity misses: the report waits here for room rather than going back to the backlog with
  // a back-off, where it would hold a max_ack_pending slot of the account idle all the same.
  let capacityOnly = true;
  const waitUntil = performance.now() + deps.roomWaitMs;
  // ack_wait runs from the delivery: a step (an attempt, a wait for room) starting within KEEP_ALIVE_MS of the
  // last signal ends inside it (the configuration keeps both that much under ack_wait); later ones say working()
  // first. Not one +WPI message per report, which would cost the server and this process as much as the ack.
  let signalledAt = performance.now();
  const keepAlive = (): void => {
    const now = performance.now();
    if (now - signalledAt < KEEP_ALIVE_MS) return;
    m.working();
    signalledAt = now;
  };
  let attempt = 0;
  let sends = 0;
  while (attempt < deps.maxAttempts) {
    const route = routing.acquire(account, tried);
    if (route === undefined) {
      const left = waitUntil - performance.now();
      if (!capacityOnly || left <= 0) break;
      keepAlive();
      if (!(await routing.waitForRoom(account, left, priority))) break;
      // The pods tried so far only said they were full: they may take it now.
      tried.clear();
      continue;
    }
    attempt++;
    sends++;
    tried.add(route.address);
    // An attempt may wait out the edge's deliver_sm timeout: keep ack_wait from running out meanwhile.
    keepAlive();
    const outcome = await sendAttempt(route, report, processing, sends, deps);
    const label = labelOf(outcome);
    if (isDelivered(outcome)) {
      // With the other results of this turn: their acks share one write (@smsgw/runtime nextTurn).
      await nextTurn();
      m.ack();
      if (report.createdAt !== undefined) {
        metrics.deliverySeconds.observe(Math.max(0, Date.now() - timestampMs(report.createdAt)) / 1000);
      }
      return 'delivered';
    }
    if (outcome.kind !== 'result' || outcome.outcome !== DeliverOutcome.NO_RECEIVER) capacityOnly = false;
    else if (performance.now() < waitUntil) attempt--;
    logger.debug(
      {
        message_id: report.messageId,
        account,
        pod: route.pod,
        outcome: label,
        command_status: outcome.kind === 'result' ? outcome.commandStatus : undefined,
        attempt: sends,
      },
      'delivery report not delivered; trying elsewhere',
    );
  }
  // Capacity misses come back soon; failures (rejections, timeouts, broken streams) back off.
  const delayMs = capacityOnly ? deps.retry.minMs : retryDelayMs(deps.retry, m.info.deliveryCount);
  recordFailure(span, 'retry', `not delivered after ${String(sends)} attempt(s): nak for later`);
  metrics.pushRetried.inc();
  m.nak(delayMs);
  return 'retry';
}
