/**
 * Stores a report (a DLR, or an MO carried as one) in its account's backlog,
 * `sms.dlr.<account>` or `sms.dlr.<priority>.<account>`, with Nats-Msg-Id =
 * report id, inside a PRODUCER span whose context both the message's headers
 * and the report's own trace fields carry (the push side reads the report and
 * sends it on to the edge with its context in those fields).
 */
import { toBinary } from '@bufbuild/protobuf';
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { Context } from '@opentelemetry/api';
import { dlrSubject, type Priority } from '@smsgw/nats';
import { DeliveryReportSchema, type DeliveryReport } from '@smsgw/proto';
import { nextTurn } from '@smsgw/runtime';
import {
  MessagingAttr,
  SubjectTemplate,
  contextWithSpan,
  injectIntoFields,
  injectIntoHeaders,
  recordError,
  startPublishSpan,
  tracerFor,
} from '@smsgw/telemetry';

/** The dispatcher's tracer. */
const tracer = tracerFor('@smsgw/dlr-dispatcher');

/** Publishes the report into its account's backlog of `priority`; resolves with the PubAck, rejects when not stored. */
export async function publishReport(
  js: JetStreamClient,
  processing: Context,
  report: DeliveryReport,
  priority: Priority,
): Promise<PubAck> {
  // Its message's effective priority decides its place in the account's backlog (docs/architecture.md).
  const subject = dlrSubject(report.systemId, priority);
  const msgID = report.reportId;
  const span = startPublishSpan(tracer, {
    subject,
    template: SubjectTemplate.dlr,
    parent: processing,
    messageId: msgID,
  });
  const context = contextWithSpan(processing, span);
  injectIntoFields(context, report);
  const headers = injectIntoHeaders(context);
  const data = toBinary(DeliveryReportSchema, report);
  if (span.isRecording()) span.setAttribute(MessagingAttr.bodySize, data.length);
  try {
    await nextTurn();
    return await js.publish(subject, data, headers === undefined ? { msgID } : { msgID, headers });
  } catch (error) {
    recordError(span, error);
    throw error;
  } finally {
    span.end();
  }
}
