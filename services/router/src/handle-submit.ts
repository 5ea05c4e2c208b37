/**
 * Routes one submit from SMS_SUBMIT: decode, apply the account's rules,
 * publish the RoutedMessage on the connector's lane, and only then ack.
 * Idempotent under redelivery: the publish carries Nats-Msg-Id = message id,
 * so JetStream drops a second copy inside the duplicate window. Nothing else
 * is stored: the connector puts what the DLR needs on each status event
 * (docs/architecture.md, "JetStream operations per message").
 *
 * Outcomes: routed (acked); retry (nak'ed with a back-off delay: nothing is
 * acked that was not stored); poison (terminated: it can never be routed).
 *
 * Tracing (docs/architecture.md invariant 6): a CONSUMER span `process sms.submit.{account}`
 * per delivery, parented on the context the submit carries (its NATS headers,
 * else the SubmitAccepted's fields), with the requested and effective
 * priority, the route and the connector; a PRODUCER span `publish
 * sms.route.<connector>.<priority>` whose context goes into the routed
 * message's headers. Log lines written while a submit is handled carry its trace_id.
 */
import { toBinary } from '@bufbuild/protobuf';
import { timestampMs } from '@bufbuild/protobuf/wkt';
import type { JetStreamClient, JsMsg, PubAck } from '@nats-io/jetstream';
import type { Context, Span } from '@opentelemetry/api';
import {
  ackMessage,
  retryLater as nakForRetry,
  terminatePoison as terminate,
  type RetryPolicy,
  type Settler,
} from '@smsgw/nats';
import { nextTurn } from '@smsgw/runtime';
import { RoutedMessageSchema, type SubmitAccepted } from '@smsgw/proto';
import type { Logger } from '@smsgw/runtime';
import {
  SmppAttr,
  SmsgwAttr,
  SubjectTemplate,
  contextWithSpan,
  injectIntoHeaders,
  recordError,
  processMessage,
  startPublishSpan,
  tracerFor,
} from '@smsgw/telemetry';
import { decodeSubmit } from './decode-submit.ts';
import type { RouterMetrics } from './metrics.ts';
import {
  DEFAULT_ROUTING_RULES,
  STATIC_ROUTE_SELECTION,
  planRoute,
  type RoutePlan,
  type RouteSelection,
  type RoutingRules,
} from './route-plan.ts';
import type { WarningLimiter } from './warning-limiter.ts';

/** The router's tracer: its spans' instrumentation scope. */
const tracer = tracerFor('@smsgw/router');

/** Where the router finds an account's rules; @smsgw/accounts' AccountCache is one. */
export interface AccountLookup {
  /** The account's current record, or undefined when there is none. Synchronous: called per submit. */
  get(systemId: string): RoutingRules | undefined;
}

/** What handleSubmit works with. */
export interface SubmitHandlerDeps {
  /** JetStream client that publishes to SMS_ROUTE. */
  readonly js: JetStreamClient;
  /** The accounts (the watching AccountCache). */
  readonly accounts: AccountLookup;
  /** The router's logger. */
  readonly logger: Logger;
  /** The router's metrics. */
  readonly metrics: RouterMetrics;
  /** The nak back-off. */
  readonly retry: RetryPolicy;
  /** The clock (routed_at); tests may fix it. */
  readonly now?: () => Date;
  /** The default route and the connectors' health (default: `sim`, nothing ever down). */
  readonly routeSelection?: RouteSelection;
  /** Limits the unknown-account warning to one per account per minute (others go to debug); one per worker. */
  readonly unknownAccountWarnings?: WarningLimiter;
}

/** How one delivery of a submit ended. */
export type SubmitOutcome = 'routed' | 'retry' | 'poison';

/** The steps of routing that can fail and be retried (the `step` label of router_submits_retried_total). */
type RetryStep = 'plan' | 'publish';

/** How the router's settle log lines name a message. */
const SUBMIT = 'submit';

/** The settler of this handler's messages. */
function settlerOf(deps: SubmitHandlerDeps): Settler {
  return { logger: deps.logger, kind: SUBMIT };
}

function terminatePoison(m: JsMsg, deps: SubmitHandlerDeps, span: Span, error: unknown): SubmitOutcome {
  recordError(span, error, 'poison submit: terminated');
  deps.metrics.poison.inc();
  terminate(m, settlerOf(deps), {}, error, 'poison submit: cannot be routed, terminating it');
  return 'poison';
}

function retryLater(
  m: JsMsg,
  deps: SubmitHandlerDeps,
  span: Span,
  step: RetryStep,
  submit: SubmitAccepted,
  error: unknown,
): SubmitOutcome {
  span.setAttribute(SmsgwAttr.step, step);
  recordError(span, error, `routing failed at ${step}: nak for a retry`);
  deps.metrics.retried.inc({ step });
  nakForRetry(
    m,
    settlerOf(deps),
    deps.retry,
    { message_id: submit.messageId, system_id: submit.systemId, step },
    error,
    'routing failed; nak with delay',
  );
  return 'retry';
}

/** Publishes the routed message inside a PRODUCER span whose context the message carries. */
async function publishRouted(deps: SubmitHandlerDeps, processing: Context, plan: RoutePlan): Promise<PubAck> {
  const data = toBinary(RoutedMessageSchema, plan.routed);
  const span = startPublishSpan(tracer, {
    subject: plan.subject,
    parent: processing,
    messageId: plan.messageId,
    bodySize: data.length,
  });
  const headers = injectIntoHeaders(contextWithSpan(processing, span));
  try {
    await nextTurn();
    return await deps.js.publish(
      plan.subject,
      data,
      headers === undefined ? { msgID: plan.messageId } : { msgID: plan.messageId, headers },
    );
  } catch (error) {
    recordError(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** The span attributes of a routing decision. */
function recordPlan(span: Span, submit: SubmitAccepted, plan: RoutePlan): void {
  if (!span.isRecording()) return;
  span.setAttributes({
    [SmppAttr.systemId]: submit.systemId,
    [SmppAttr.messageId]: plan.messageId,
    [SmppAttr.segments]: submit.segments,
    [SmsgwAttr.priorityRequested]: plan.requestedPriority,
    [SmsgwAttr.priorityEffective]: plan.priority,
    [SmsgwAttr.route]: plan.routed.routeId,
    [SmsgwAttr.connector]: plan.connector,
  });
}

/** Routes one delivered submit and settles it (ack, nak or term). Never rejects. */
export async function handleSubmit(m: JsMsg, deps: SubmitHandlerDeps): Promise<SubmitOutcome> {
  const startedAt = performance.now();
  if (m.info.deliveryCount > 1) deps.metrics.redelivered.inc();

  let submit: SubmitAccepted | undefined;
  let decodeError: unknown;
  try {
    submit = decodeSubmit(m.data);
  } catch (error) {
    decodeError = error;
  }
  // The submit's trace: its headers' context, else (an edge that set none) the one it stored in the message.
  return processMessage(
    tracer,
    m,
    {
      template: SubjectTemplate.submit,
      // The lane it came from: router (SMS_SUBMIT) or router-p<prio> (SMS_SUBMIT_PRIORITY).
      consumer: m.info.consumer,
      stream: m.info.stream,
      fallback: submit,
    },
    (processing, span) =>
      submit === undefined
        ? terminatePoison(m, deps, span, decodeError)
        : route(m, deps, submit, processing, span, startedAt),
  );
}

/** Routes a decoded submit (see handleSubmit). */
async function route(
  m: JsMsg,
  deps: SubmitHandlerDeps,
  submit: SubmitAccepted,
  processing: Context,
  span: Span,
  startedAt: number,
): Promise<SubmitOutcome> {
  const { logger, metrics } = deps;
  const account = deps.accounts.get(submit.systemId);
  if (account === undefined) {
    metrics.unknownAccount.inc();
    // The edge accepted this submit (the client has its ESME_ROK): it must not vanish.
    const due = deps.unknownAccountWarnings?.shouldWarn(submit.systemId, Date.now()) ?? true;
    logger[due ? 'warn' : 'debug'](
      { message_id: submit.messageId, system_id: submit.systemId },
      'unknown account: routing the submit with the default rules',
    );
  }

  let plan: RoutePlan;
  try {
    plan = planRoute(
      submit,
      account ?? DEFAULT_ROUTING_RULES,
      deps.now?.() ?? new Date(),
      deps.routeSelection ?? STATIC_ROUTE_SELECTION,
    );
  } catch (error) {
    // Not expected for a decoded submit; retried, since a fixed router must still route it.
    return retryLater(m, deps, span, 'plan', submit, error);
  }
  recordPlan(span, submit, plan);

  let pubAck: PubAck;
  try {
    pubAck = await publishRouted(deps, processing, plan);
  } catch (error) {
    return retryLater(m, deps, span, 'publish', submit, error);
  }

  // Stored: now, and only now, the submit may leave SMS_SUBMIT.
  await nextTurn();
  ackMessage(m, settlerOf(deps), { message_id: plan.messageId });

  if (pubAck.duplicate) metrics.duplicates.inc();
  if (plan.priority < plan.requestedPriority) metrics.priorityLowered.inc();
  metrics.routed.inc({ connector: plan.connector, priority: plan.priority });
  for (const connector of plan.skippedConnectors) metrics.failovers.inc({ connector });
  metrics.routeSeconds.observe((performance.now() - startedAt) / 1000);
  if (submit.acceptedAt !== undefined) {
    metrics.submitAgeSeconds.observe(Math.max(0, Date.now() - timestampMs(submit.acceptedAt)) / 1000);
  }
  logger.debug(
    {
      message_id: plan.messageId,
      system_id: submit.systemId,
      connector: plan.connector,
      skipped: plan.skippedConnectors,
      priority: plan.priority,
      requested_priority: plan.requestedPriority,
      duplicate: pubAck.duplicate,
      delivery_count: m.info.deliveryCount,
    },
    'submit routed',
  );
  return 'routed';
}
