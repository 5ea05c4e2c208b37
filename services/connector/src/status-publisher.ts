/**
 * Status events on SMS_STATUS: one per report a driver makes (final states
 * always, intermediate ones when the submit asked), deduplicated by message id
 * and state. Each publish is a PRODUCER span `publish sms.status.{account}`
 * under the routed message's processing span; its context goes into the
 * event's headers, so the dispatcher's spans continue the message's trace.
 */
import { create, toBinary, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Context } from '@opentelemetry/api';
import { StreamName, priorityOrZero, statusSubject } from '@smsgw/nats';
import { nextTurn } from '@smsgw/runtime';
import { StatusEventSchema, type MessageEnvelope, type StatusEvent } from '@smsgw/proto';
import { isFinalState, messageStateName, wantsIntermediate } from '@smsgw/smpp';
import {
  SmppAttr,
  SubjectTemplate,
  contextWithSpan,
  injectIntoHeaders,
  recordError,
  startPublishSpan,
  tracerFor,
} from '@smsgw/telemetry';
import type { StatusReport } from './driver.ts';
import { StatusPublishError } from './errors.ts';

/** The connector's tracer. */
const tracer = tracerFor('@smsgw/connector');

/** The message a status event is about. */
export interface StatusTarget {
  /**
   * The message's envelope, carried on the event: its id, its account (whose
   * status subject gets the event), its registered_delivery (intermediate
   * statuses go out only when bit 4 asks for them) and what the DLR needs.
   */
  readonly envelope: MessageEnvelope;
  /** The parent of each publish span: the routed message's processing span, or the envelope's context for a later status. */
  readonly trace: Context;
}

/** What became of one report: stored, dropped by the stream as a repeat, or not sent (not asked for). */
export type PublishResult = 'published' | 'duplicate' | 'skipped';

/** Turns driver reports into StatusEvents on SMS_STATUS. */
export interface StatusPublisher {
  /** Publishes the event; resolves after the PubAck, or at once with 'skipped'. Throws StatusPublishError. */
  publish(target: StatusTarget, report: StatusReport): Promise<PublishResult>;
}

/** Options of createStatusPublisher. */
export interface StatusPublisherOptions {
  readonly js: JetStreamClient;
  /** The connector's name, recorded in every event. */
  readonly connector: string;
  /** The clock for done_at (tests inject one). */
  readonly now?: () => Date;
  /** How long to wait for a PubAck (default: the client's, 5 s). */
  readonly timeoutMs?: number;
}

/**
 * The Nats-Msg-Id of a status event, `<message id>:<message_state>`: the same
 * state reported again (a redelivery after a crash) is dropped by the stream's
 * duplicate window, while ENROUTE and the final state are distinct events.
 */
export function statusEventMsgId(messageId: string, messageState: number): string {
  return `${messageId}:${messageState}`;
}

/** Whether a report is forwarded for a submit: final states always (the dispatcher applies the receipt request), others only when intermediate notifications were asked for. */
export function shouldPublish(registeredDelivery: number, messageState: number): boolean {
  return isFinalState(messageState) || wantsIntermediate(registeredDelivery);
}

/** Builds the StatusEvent of one report. */
export function statusEventOf(
  target: StatusTarget,
  report: StatusReport,
  connector: string,
  doneAt: Date,
): StatusEvent {
  const { envelope } = target;
  const init: MessageInitShape<typeof StatusEventSchema> = {
    messageId: envelope.messageId,
    systemId: envelope.systemId,
    messageState: report.messageState,
    errorCode: report.errorCode ?? 0,
    doneAt: timestampFromDate(doneAt),
    connector,
    upstreamMessageId: report.upstreamMessageId ?? '',
    intermediate: !isFinalState(report.messageState),
    envelope,
  };
  if (report.networkError !== undefined) init.networkError = { ...report.networkError };
  return create(StatusEventSchema, init);
}

/** Creates the publisher of a connector's status events. */
export function createStatusPublisher(options: StatusPublisherOptions): StatusPublisher {
  const { js, connector, now = () => new Date(), timeoutMs } = options;
  return {
    async publish(target, report) {
      const { envelope } = target;
      if (!shouldPublish(envelope.registeredDelivery, report.messageState)) return 'skipped';
      const event = statusEventOf(target, report, connector, now());
      const msgID = statusEventMsgId(envelope.messageId, report.messageState);
      // The report's priority follows its message's effective priority (docs/architecture.md, "Priority end to end").
      const priority = priorityOrZero(envelope.priorityFlag);
      const subject = statusSubject(envelope.systemId, priority);
      const data = toBinary(StatusEventSchema, event);
      const span = startPublishSpan(tracer, {
        subject,
        template: SubjectTemplate.status,
        parent: target.trace,
        messageId: msgID,
        bodySize: data.length,
      });
      if (span.isRecording()) {
        span.setAttribute(
          SmppAttr.messageState,
          messageStateName(report.messageState) ?? String(report.messageState),
        );
      }
      const headers = injectIntoHeaders(contextWithSpan(target.trace, span));
      try {
        // With the other publishes of this turn: they share one write (@smsgw/runtime nextTurn). Messages
        // reach the worker one microtask hop apart, so without it nearly every publish was a write of its own.
        await nextTurn();
        const ack = await js.publish(subject, data, {
          msgID,
          ...(headers === undefined ? {} : { headers }),
          expect: { streamName: priority === 0 ? StreamName.status : StreamName.statusPriority },
          ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
        });
        return ack.duplicate ? 'duplicate' : 'published';
      } catch (err) {
        recordError(span, err);
        throw new StatusPublishError(`status event ${msgID} not stored`, { cause: err });
      } finally {
        span.end();
      }
    },
  };
}
