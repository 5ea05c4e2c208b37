import { create, toBinary, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { JetStreamClient } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { Header, StreamName, statusSubject } from '@smsgw/nats';
import { StatusEventSchema, type StatusEvent } from '@smsgw/proto';
import { isFinalState, wantsIntermediate } from '@smsgw/smpp';
import type { StatusReport } from './driver.ts';
import { StatusPublishError } from './errors.ts';
import type { TraceContext } from './trace-context.ts';

/** The message a status event is about. */
export interface StatusTarget extends TraceContext {
  /** Our message id. */
  readonly messageId: string;
  /** The account that submitted it; its status subject gets the event. */
  readonly systemId: string;
  /** The submit's registered_delivery: intermediate statuses go out only when bit 4 asks for them. */
  readonly registeredDelivery: number;
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
  const init: MessageInitShape<typeof StatusEventSchema> = {
    messageId: target.messageId,
    systemId: target.systemId,
    messageState: report.messageState,
    errorCode: report.errorCode ?? 0,
    doneAt: timestampFromDate(doneAt),
    connector,
    upstreamMessageId: report.upstreamMessageId ?? '',
    intermediate: !isFinalState(report.messageState),
  };
  if (report.networkError !== undefined) init.networkError = { ...report.networkError };
  return create(StatusEventSchema, init);
}

/** Creates the publisher of a connector's status events. */
export function createStatusPublisher(options: StatusPublisherOptions): StatusPublisher {
  const { js, connector, now = () => new Date(), timeoutMs } = options;
  return {
    async publish(target, report) {
      if (!shouldPublish(target.registeredDelivery, report.messageState)) return 'skipped';
      const event = statusEventOf(target, report, connector, now());
      const h = headers();
      if (target.traceparent !== '') h.set(Header.traceparent, target.traceparent);
      if (target.tracestate !== '') h.set(Header.tracestate, target.tracestate);
      const msgID = statusEventMsgId(target.messageId, report.messageState);
      try {
        const ack = await js.publish(statusSubject(target.systemId), toBinary(StatusEventSchema, event), {
          msgID,
          headers: h,
          expect: { streamName: StreamName.status },
          ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
        });
        return ack.duplicate ? 'duplicate' : 'published';
      } catch (err) {
        throw new StatusPublishError(`status event ${msgID} not stored`, { cause: err });
      }
    },
  };
}
