/**
 * Pushes one delivery report from an account's backlog to a client: up to
 * maxAttempts attempts, each through the pod with the most free window that
 * this report has not been tried on yet (DeliveryRouting.acquire). Acked only
 * when an edge says DELIVERED (the client's deliver_sm_resp was ESME_ROK,
 * DESIGN.md invariant 3); after a rejection, a timeout, no receiver, a pod
 * shutting down or a broken stream it goes to the next pod; when none is left
 * it is nak'ed with a back-off delay and comes back to whichever replica pulls
 * next. A report whose bytes are not a DeliveryReport is terminated.
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
import { StreamName } from '@smsgw/nats';
import { DeliverOutcome, DeliveryReportSchema, deliverOutcomeLabel, type DeliveryReport } from '@smsgw/proto';
import type { Logger } from '@smsgw/runtime';
import { CommandStatus, messageStateName } from '@smsgw/smpp';
import {
  SmppAttr,
  SmsgwAttr,
  SubjectTemplate,
  contextWithSpan,
  extractFromHeaders,
  injectIntoFields,
  recordCommandStatus,
  recordError,
  recordFailure,
  startDeliverClientSpan,
  startProcessSpan,
  tracerFor,
  withSpan,
} from '@smsgw/telemetry';
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

/** The dispatcher's tracer. */
const tracer = tracerFor('@smsgw/dlr-dispatcher');

/** The metric label of an attempt's outcome. */
function labelOf(outcome: LinkOutcome): string {
  if (outcome.kind === 'failed') return `link_${outcome.reason}`;
  return deliverOutcomeLabel(outcome.outcome);
}

/** Pushes one report of `account` (see the module comment); never rejects. */
export async function pushReport(m: JsMsg, account: string, deps: PushDeps): Promise<PushResult> {
  let report: DeliveryReport | undefined;
  let malformed: unknown;
  try {
    report = fromBinary(DeliveryReportSchema, m.data);
  } catch (error) {
    malformed = error;
  }
  const parent = extractFromHeaders(m.headers, report);
  const span = startProcessSpan(tracer, {
    subject: m.subject,
    template: SubjectTemplate.dlr,
    parent,
    stream: StreamName.dlr,
    deliveryCount: m.info.deliveryCount,
    bodySize: m.data.length,
  });
  try {
    const result = await withSpan(parent, span, () =>
      report === undefined
        ? terminate(m, account, deps, span, malformed)
        : push(m, account, deps, report, contextWithSpan(parent, span), span),
    );
    span.setAttribute(SmsgwAttr.outcome, result);
    return result;
  } finally {
    span.end();
  }
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
  processing: Context,
  span: Span,
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
  for (let attempt = 1; attempt <= deps.maxAttempts; attempt++) {
    const route = routing.acquire(account, tried);
    if (route === undefined) break;
    tried.add(route.address);
    // An attempt may wait out the edge's deliver_sm timeout: keep ack_wait from running out meanwhile.
    m.working();
    const client = startDeliverClientSpan(tracer, processing, route.address);
    if (client.isRecording()) {
      client.setAttribute(SmsgwAttr.edgePod, route.pod);
      client.setAttribute(SmsgwAttr.attempt, attempt);
    }
    // The report as sent carries this attempt's context: the edge's spans become its children.
    const sent: DeliveryReport = { ...report };
    injectIntoFields(contextWithSpan(processing, client), sent);
    const started = performance.now();
    const outcome = await route.link.deliver(sent);
    routing.release(route);
    const label = labelOf(outcome);
    recordAttempt(client, outcome, label);
    client.end();
    metrics.pushes.inc({ outcome: label });
    metrics.pushSeconds.observe({ outcome: label }, (performance.now() - started) / 1000);
    if (outcome.kind === 'result' && outcome.outcome === DeliverOutcome.DELIVERED) {
      m.ack();
      if (report.createdAt !== undefined) {
        metrics.deliverySeconds.observe(Math.max(0, Date.now() - timestampMs(report.createdAt)) / 1000);
      }
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
  recordFailure(span, 'retry', `not delivered after ${String(tried.size)} attempt(s): nak for later`);
  metrics.pushRetried.inc();
  m.nak(delayMs);
  return 'retry';
}
