/**
 * Handles one status event from SMS_STATUS: decode, take the message envelope
 * the event carries (read from the envelopes KV bucket only for an event of an
 * older connector, which carries none), build the delivery report, and either
 * deliver it directly (one attempt: at once when its account has a receiver
 * with a free window and no report waits in its room queue, else after a short
 * bounded wait in that queue, the event unacked meanwhile: DLR_DIRECT_ROOM_WAIT,
 * direct-holds.ts) or publish it to the account's backlog (sms.dlr.<account>,
 * Nats-Msg-Id = report id); only then ack. So a
 * report leaves SMS_STATUS only once delivered or stored (docs/architecture.md,
 * "JetStream operations per message"). Idempotent under redelivery: the same
 * event makes the same report id, so JetStream drops a second copy inside the
 * duplicate window; a report delivered at once whose event is redelivered
 * (a crash before the ack) reaches the client twice, which at-least-once allows.
 *
 * Outcomes: delivered (acked); stored (acked); skipped (acked: registered_delivery asked for no
 * report); retry (nak'ed with a back-off delay); missing (the envelope never
 * appeared after maxEnvelopeAttempts deliveries: terminated); poison
 * (terminated: it can never become a report).
 *
 * Tracing (docs/architecture.md invariant 6): a CONSUMER span `process sms.status.{account}`
 * per delivery, parented on the event's headers (the connector's publish),
 * else on the context the envelope keeps (the connector's); a CLIENT span
 * `smsgw.v1.EdgeDelivery/Deliver` for a direct attempt; a PRODUCER span
 * `publish sms.dlr.{account}` whose context goes into both the report
 * message's headers and the DeliveryReport's trace fields, which carry it on
 * over the EdgeDelivery stream. So the DLR's spans join the submit's trace.
 */
import { timestampMs } from '@bufbuild/protobuf/wkt';
import type { JetStreamClient, JsMsg, PubAck } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { Context, Span } from '@opentelemetry/api';
import {
  ackMessage,
  envelopeKey,
  priorityOrZero,
  retryLater as nakForRetry,
  terminatePoison as terminate,
  termMessage,
  type RetryPolicy,
  type Settler,
} from '@smsgw/nats';
import { nextTurn } from '@smsgw/runtime';
import { type DeliveryReport, type MessageEnvelope, type StatusEvent } from '@smsgw/proto';
import type { Logger } from '@smsgw/runtime';
import { messageStateName } from '@smsgw/smpp';
import {
  SmppAttr,
  SmsgwAttr,
  SubjectTemplate,
  recordError,
  recordFailure,
  processMessage,
  tracerFor,
} from '@smsgw/telemetry';
import { buildReport } from './build-report.ts';
import { publishReport } from './publish-report.ts';
import type { DirectDelivery } from './delivery-pusher.ts';
import { decodeEnvelope, decodeStatus } from './decode-status.ts';
import type { DispatcherMetrics } from './metrics.ts';

/** The dispatcher's tracer. */
const tracer = tracerFor('@smsgw/dlr-dispatcher');

/** What handleStatus works with. */
export interface StatusHandlerDeps {
  /** JetStream client that publishes to SMS_DLR. */
  readonly js: JetStreamClient;
  /** The envelopes KV bucket (read with direct gets when the stream allows them: every replica answers). */
  readonly envelopes: KV;
  /**
   * The same bucket read through the stream's leader (the JetStream API's
   * MSG.GET), asked when `envelopes` finds nothing: a direct get may be
   * answered by a replica that has not caught up since its node rejoined, and
   * a report must never be dropped for that (docs/operations.md). Absent when
   * `envelopes` already reads through the leader.
   */
  readonly envelopesFromLeader?: KV;
  /** The dispatcher's logger. */
  readonly logger: Logger;
  /** The dispatcher's metrics. */
  readonly metrics: DispatcherMetrics;
  /** The nak back-off. */
  readonly retry: RetryPolicy;
  /**
   * Deliveries of an event whose envelope is missing before it is terminated.
   * The router writes the envelope before the routed message exists, so a
   * missing one is a lost or expired envelope, not a race; a few tries cover a
   * KV replica lagging behind.
   */
  readonly maxEnvelopeAttempts: number;
  /** Delivers a report directly when its account has a receiver with room now or soon (the DeliveryPusher); absent: always the backlog. */
  readonly direct?: DirectDelivery;
  /** The clock (the report's created_at); tests may fix it. */
  readonly now?: () => Date;
}

/** How one delivery of a status event ended. */
export type StatusOutcome = 'delivered' | 'stored' | 'skipped' | 'retry' | 'missing' | 'poison';

/** The steps that can fail and be retried (the `step` label of dlr_dispatcher_statuses_retried_total). */
type RetryStep = 'envelope' | 'envelope-missing' | 'publish';

/** The settler of this handler's messages. */
function settlerOf(deps: StatusHandlerDeps): Settler {
  return { logger: deps.logger, kind: 'status event' };
}

function terminatePoison(
  m: JsMsg,
  deps: StatusHandlerDeps,
  span: Span,
  error: unknown,
  messageId?: string,
): StatusOutcome {
  recordError(span, error, 'poison status event: terminated');
  deps.metrics.poison.inc();
  terminate(
    m,
    settlerOf(deps),
    messageId === undefined ? {} : { message_id: messageId },
    error,
    'poison status event: no report can be built, terminating it',
  );
  return 'poison';
}

function retryLater(
  m: JsMsg,
  deps: StatusHandlerDeps,
  span: Span,
  step: RetryStep,
  event: StatusEvent,
  error?: unknown,
): StatusOutcome {
  span.setAttribute(SmsgwAttr.step, step);
  const description = `status handling failed at ${step}: nak for a retry`;
  if (error === undefined) recordFailure(span, step, description);
  else recordError(span, error, description);
  deps.metrics.retried.inc({ step });
  nakForRetry(
    m,
    settlerOf(deps),
    deps.retry,
    { message_id: event.messageId, step },
    error,
    'status handling failed; nak with delay',
  );
  return 'retry';
}

function envelopeMissing(m: JsMsg, deps: StatusHandlerDeps, span: Span, event: StatusEvent): StatusOutcome {
  if (m.info.deliveryCount < deps.maxEnvelopeAttempts) {
    return retryLater(m, deps, span, 'envelope-missing', event);
  }
  recordFailure(span, 'envelope-missing', 'message envelope missing: terminated');
  const fields = {
    message_id: event.messageId,
    system_id: event.systemId,
    message_state: event.messageState,
    delivery_count: m.info.deliveryCount,
  };
  deps.logger.error(
    fields,
    'message envelope missing: no delivery report can be built, terminating the event',
  );
  deps.metrics.envelopeMissing.inc();
  termMessage(m, settlerOf(deps), fields);
  return 'missing';
}

/** What handleStatus found before its span starts: the event and its envelope (or why there is none). */
type Read =
  | { readonly kind: 'poison'; readonly error: unknown }
  | { readonly kind: 'read-failed'; readonly event: StatusEvent; readonly error: unknown }
  | { readonly kind: 'missing'; readonly event: StatusEvent }
  | { readonly kind: 'found'; readonly event: StatusEvent; readonly envelope: MessageEnvelope }
  | { readonly kind: 'undecodable'; readonly event: StatusEvent; readonly error: unknown };

/** Decodes the event and reads its envelope. */
async function read(m: JsMsg, deps: StatusHandlerDeps): Promise<Read> {
  let event: StatusEvent;
  try {
    event = decodeStatus(m.data);
  } catch (error) {
    return { kind: 'poison', error };
  }
  // Events carry their envelope (docs/architecture.md); only those from an older connector need the KV read.
  if (event.envelope !== undefined) return { kind: 'found', event, envelope: event.envelope };
  let stored: Uint8Array | undefined;
  try {
    // With the other handlers of this turn: their reads share one write (@smsgw/runtime nextTurn).
    await nextTurn();
    const key = envelopeKey(event.messageId);
    let entry = await deps.envelopes.get(key);
    // Not found by a replica is not yet "missing": the leader has every acknowledged write.
    if (entry === null && deps.envelopesFromLeader !== undefined) {
      deps.metrics.envelopeLeaderReads.inc();
      entry = await deps.envelopesFromLeader.get(key);
    }
    stored = entry?.operation === 'PUT' ? entry.value : undefined;
  } catch (error) {
    return { kind: 'read-failed', event, error };
  }
  if (stored === undefined) return { kind: 'missing', event };
  try {
    return { kind: 'found', event, envelope: decodeEnvelope(stored) };
  } catch (error) {
    // Settled as poison inside the span, where the error is recorded.
    return { kind: 'undecodable', event, error };
  }
}

/** Handles one delivered status event and settles it (ack, nak or term). Never rejects. */
export async function handleStatus(m: JsMsg, deps: StatusHandlerDeps): Promise<StatusOutcome> {
  const startedAt = performance.now();
  const startTime = Date.now();
  if (m.info.deliveryCount > 1) deps.metrics.redelivered.inc();

  // The envelope is read before the span starts (the span still starts at receipt): when the event
  // carries no context, the one the envelope keeps is the parent.
  const found = await read(m, deps);
  return processMessage(
    tracer,
    m,
    {
      template: SubjectTemplate.status,
      // The lane it came from: dlr-dispatcher (SMS_STATUS) or dlr-dispatcher-p<prio> (SMS_STATUS_PRIORITY).
      consumer: m.info.consumer,
      stream: m.info.stream,
      startTime,
      fallback: found.kind === 'found' ? found.envelope : undefined,
    },
    (processing, span) => settle(m, deps, found, processing, span, startedAt),
  );
}

/** Builds, stores and acks (or naks, or terminates) what read() found. */
async function settle(
  m: JsMsg,
  deps: StatusHandlerDeps,
  found: Read,
  processing: Context,
  span: Span,
  startedAt: number,
): Promise<StatusOutcome> {
  const { logger, metrics } = deps;
  if (found.kind === 'poison') return terminatePoison(m, deps, span, found.error);
  const { event } = found;
  if (span.isRecording()) {
    span.setAttributes({
      [SmppAttr.messageId]: event.messageId,
      [SmppAttr.systemId]: event.systemId,
      [SmppAttr.messageState]: messageStateName(event.messageState) ?? String(event.messageState),
    });
  }
  if (found.kind === 'read-failed') return retryLater(m, deps, span, 'envelope', event, found.error);
  if (found.kind === 'missing') return envelopeMissing(m, deps, span, event);
  if (found.kind === 'undecodable') return terminatePoison(m, deps, span, found.error, event.messageId);

  const { envelope } = found;
  let report: DeliveryReport | undefined;
  try {
    report = buildReport(envelope, event, deps.now?.() ?? new Date());
  } catch (error) {
    return terminatePoison(m, deps, span, error, event.messageId);
  }

  // The message's effective priority: a held report waits for room ahead of lower-priority ones, and a
  // stored one goes to its priority's backlog.
  const priority = priorityOrZero(envelope.priorityFlag);
  // Straight to a receiver with room when there is one (now, or after a short hold): no backlog publish, pull and ack.
  let delivered = false;
  if (report !== undefined && deps.direct !== undefined) {
    delivered = await deps.direct.tryDeliver(report, span.isRecording() ? processing : undefined, priority);
    if (delivered && report.createdAt !== undefined) {
      metrics.deliverySeconds.observe(Math.max(0, Date.now() - timestampMs(report.createdAt)) / 1000);
    }
  }

  let pubAck: PubAck | undefined;
  if (report !== undefined && !delivered) {
    try {
      pubAck = await publishReport(deps.js, processing, report, priority);
    } catch (error) {
      return retryLater(m, deps, span, 'publish', event, error);
    }
  }

  // The report is delivered or stored (or none is wanted): now, and only now, the event may leave SMS_STATUS.
  await nextTurn();
  ackMessage(m, settlerOf(deps), { message_id: event.messageId });
  const outcome = report === undefined ? 'skipped' : delivered ? 'delivered' : 'stored';
  if (pubAck?.duplicate === true) metrics.duplicates.inc();
  metrics.statuses.inc({ outcome });
  metrics.handleSeconds.observe((performance.now() - startedAt) / 1000);
  logger.debug(
    {
      message_id: event.messageId,
      system_id: envelope.systemId,
      message_state: event.messageState,
      report_id: report?.reportId,
      duplicate: pubAck?.duplicate,
      delivery_count: m.info.deliveryCount,
    },
    report === undefined
      ? 'no report wanted for status event'
      : delivered
        ? 'delivery report delivered'
        : 'delivery report stored',
  );
  return outcome;
}
