/**
 * Handles one status event from SMS_STATUS: decode, read the message envelope,
 * build the delivery report, publish it to the account's backlog
 * (sms.dlr.<account>, Nats-Msg-Id = report id) and only then ack.
 * Idempotent under redelivery: the same event makes the same report id, so
 * JetStream drops a second copy inside the duplicate window.
 *
 * Outcomes: stored (acked); skipped (acked: registered_delivery asked for no
 * report); retry (nak'ed with a back-off delay); missing (the envelope never
 * appeared after maxEnvelopeAttempts deliveries: terminated); poison
 * (terminated: it can never become a report).
 */
import { toBinary } from '@bufbuild/protobuf';
import type { JetStreamClient, JsMsg, PubAck } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { dlrSubject, envelopeKey } from '@smsgw/nats';
import {
  DeliveryReportSchema,
  type DeliveryReport,
  type MessageEnvelope,
  type StatusEvent,
} from '@smsgw/proto';
import type { Logger } from '@smsgw/runtime';
import { buildReport } from './build-report.ts';
import { decodeEnvelope, decodeStatus } from './decode-status.ts';
import type { DispatcherMetrics } from './metrics.ts';
import { retryDelayMs, type RetryPolicy } from './retry.ts';
import { traceHeaders } from './trace-headers.ts';

/** What handleStatus works with. */
export interface StatusHandlerDeps {
  /** JetStream client that publishes to SMS_DLR. */
  readonly js: JetStreamClient;
  /** The envelopes KV bucket. */
  readonly envelopes: KV;
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
  /** The clock (the report's created_at); tests may fix it. */
  readonly now?: () => Date;
}

/** How one delivery of a status event ended. */
export type StatusOutcome = 'stored' | 'skipped' | 'retry' | 'missing' | 'poison';

/** The steps that can fail and be retried (the `step` label of dlr_dispatcher_statuses_retried_total). */
type RetryStep = 'envelope' | 'envelope-missing' | 'publish';

/** First bytes of a poison message kept in its log line. */
const POISON_SAMPLE_BYTES = 256;

/** Runs a fire-and-forget acknowledgement (ack, nak, term); logs when the connection is gone. */
function acknowledge(
  logger: Logger,
  action: () => void,
  fields: Record<string, unknown>,
  what: string,
): void {
  try {
    action();
  } catch (error) {
    // Only a closed connection gets here; the server redelivers after ack_wait.
    logger.warn({ ...fields, err: error }, `could not ${what} the status event; it will be redelivered`);
  }
}

function terminate(m: JsMsg, deps: StatusHandlerDeps, fields: Record<string, unknown>): void {
  // term() without a reason: a reason needs nats-server 2.11.
  acknowledge(
    deps.logger,
    () => {
      m.term();
    },
    fields,
    'terminate',
  );
}

function terminatePoison(
  m: JsMsg,
  deps: StatusHandlerDeps,
  error: unknown,
  messageId?: string,
): StatusOutcome {
  const fields = {
    ...(messageId === undefined ? {} : { message_id: messageId }),
    stream_seq: m.seq,
    subject: m.subject,
    delivery_count: m.info.deliveryCount,
    size: m.data.length,
    data_base64: Buffer.from(m.data.subarray(0, POISON_SAMPLE_BYTES)).toString('base64'),
  };
  deps.logger.error({ ...fields, err: error }, 'poison status event: no report can be built, terminating it');
  deps.metrics.poison.inc();
  terminate(m, deps, fields);
  return 'poison';
}

function retryLater(
  m: JsMsg,
  deps: StatusHandlerDeps,
  step: RetryStep,
  event: StatusEvent,
  error?: unknown,
): StatusOutcome {
  const deliveryCount = m.info.deliveryCount;
  const delayMs = retryDelayMs(deps.retry, deliveryCount);
  const fields = { message_id: event.messageId, step, delivery_count: deliveryCount };
  deps.logger.warn({ ...fields, delay_ms: delayMs, err: error }, 'status handling failed; nak with delay');
  deps.metrics.retried.inc({ step });
  acknowledge(
    deps.logger,
    () => {
      m.nak(delayMs);
    },
    fields,
    'nak',
  );
  return 'retry';
}

function envelopeMissing(m: JsMsg, deps: StatusHandlerDeps, event: StatusEvent): StatusOutcome {
  if (m.info.deliveryCount < deps.maxEnvelopeAttempts) {
    return retryLater(m, deps, 'envelope-missing', event);
  }
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
  terminate(m, deps, fields);
  return 'missing';
}

function publishReport(
  deps: StatusHandlerDeps,
  m: JsMsg,
  envelope: MessageEnvelope,
  report: DeliveryReport,
): Promise<PubAck> {
  const headers = traceHeaders(m.headers, envelope);
  const data = toBinary(DeliveryReportSchema, report);
  const msgID = report.reportId;
  return deps.js.publish(
    dlrSubject(report.systemId),
    data,
    headers === undefined ? { msgID } : { msgID, headers },
  );
}

/** Handles one delivered status event and settles it (ack, nak or term). Never rejects. */
export async function handleStatus(m: JsMsg, deps: StatusHandlerDeps): Promise<StatusOutcome> {
  const { logger, metrics } = deps;
  const startedAt = performance.now();
  if (m.info.deliveryCount > 1) metrics.redelivered.inc();

  let event: StatusEvent;
  try {
    event = decodeStatus(m.data);
  } catch (error) {
    return terminatePoison(m, deps, error);
  }

  let stored: Uint8Array | undefined;
  try {
    const entry = await deps.envelopes.get(envelopeKey(event.messageId));
    stored = entry?.operation === 'PUT' ? entry.value : undefined;
  } catch (error) {
    return retryLater(m, deps, 'envelope', event, error);
  }
  if (stored === undefined) return envelopeMissing(m, deps, event);

  let envelope: MessageEnvelope;
  let report: DeliveryReport | undefined;
  try {
    envelope = decodeEnvelope(stored);
    report = buildReport(envelope, event, deps.now?.() ?? new Date());
  } catch (error) {
    return terminatePoison(m, deps, error, event.messageId);
  }

  let pubAck: PubAck | undefined;
  if (report !== undefined) {
    try {
      pubAck = await publishReport(deps, m, envelope, report);
    } catch (error) {
      return retryLater(m, deps, 'publish', event, error);
    }
  }

  // The report is stored (or none is wanted): now, and only now, the event may leave SMS_STATUS.
  acknowledge(
    logger,
    () => {
      m.ack();
    },
    { message_id: event.messageId },
    'ack',
  );
  const outcome = report === undefined ? 'skipped' : 'stored';
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
    report === undefined ? 'no report wanted for status event' : 'delivery report stored',
  );
  return outcome;
}
