/**
 * The edge's spans for the submit path (docs/architecture.md invariant 6), kept apart
 * from edge.ts so that the hot path only calls in here: per accepted
 * submit_sm, a SERVER span `submit_sm` (the root of the message's trace: SMPP
 * carries no context) with the SMPP attributes (system_id, command, sequence
 * number, message id, data_coding, segments, and at the end the
 * command_status answered), and under it a PRODUCER span
 * `publish sms.submit.{account}` for the JetStream publish, ended at the
 * PubAck. The publish span's context is what the SubmitAccepted and its NATS
 * headers carry, so the router's span is its child.
 *
 * When tracing is off (no exporter configured) `enabled` is false and the
 * edge does no tracing work at all: it keeps making a random traceparent per
 * submit (trace-context.ts), so context still flows for log correlation
 * downstream.
 */
import { ROOT_CONTEXT, SpanKind, trace, type Span } from '@opentelemetry/api';
import type { SubmitSm } from '@smsgw/smpp';
import {
  SmppAttr,
  SubjectTemplate,
  isTracingEnabled,
  recordCommandStatus,
  recordError,
  startPublishSpan,
  startSmppSpan,
  traceFieldsOf,
  tracerFor,
} from '@smsgw/telemetry';

/** The edge's tracer. */
const tracer = tracerFor('@smsgw/edge');

/** An accepted submit being traced. */
export interface SubmitTrace {
  /** The traceparent for the NATS headers and the SubmitAccepted: the publish span's context. */
  readonly traceparent: string;
  /** Its tracestate ('' unless a sampler set one). */
  readonly tracestate: string;
  /**
   * The publish settled and submit_sm_resp went out with `status`: ends the
   * publish span (failed with `error` when the publish failed) and the
   * submit_sm span (with the command_status by name).
   */
  end(status: number, error?: unknown): void;
}

/** The submit a trace starts for. */
export interface AcceptedSubmitInfo {
  readonly pdu: SubmitSm;
  /** The bound account. */
  readonly systemId: string;
  /** The edge's session id. */
  readonly sessionId: string;
  /** The message id given to the submit. */
  readonly messageId: string;
  /** SMS parts it counts as (validation's). */
  readonly segments: number;
  /** The subject it is published to (sms.submit.<account>). */
  readonly subject: string;
}

/** Sets the attributes every submit_sm span has. */
function describeSubmit(span: Span, pdu: SubmitSm): void {
  span.setAttribute(SmppAttr.sequenceNumber, pdu.sequenceNumber);
  span.setAttribute(SmppAttr.dataCoding, pdu.dataCoding);
  span.setAttribute(SmppAttr.registeredDelivery, pdu.registeredDelivery);
}

/** Tracing of the submit path; one per Edge. */
export class SubmitTracing {
  /** Whether spans are recorded in this process (decided at start); when false, call nothing else. */
  readonly enabled: boolean;

  constructor(enabled: boolean = isTracingEnabled()) {
    this.enabled = enabled;
  }

  /** Starts the spans of an accepted submit, before it is published. */
  start(info: AcceptedSubmitInfo): SubmitTrace {
    const server = startSmppSpan(tracer, {
      command: 'submit_sm',
      kind: SpanKind.SERVER,
      parent: ROOT_CONTEXT,
      systemId: info.systemId,
      sessionId: info.sessionId,
    });
    if (server.isRecording()) {
      describeSubmit(server, info.pdu);
      server.setAttribute(SmppAttr.messageId, info.messageId);
      server.setAttribute(SmppAttr.segments, info.segments);
    }
    const submitting = trace.setSpan(ROOT_CONTEXT, server);
    const publish = startPublishSpan(tracer, {
      subject: info.subject,
      template: SubjectTemplate.submit,
      parent: submitting,
      messageId: info.messageId,
    });
    const fields = traceFieldsOf(trace.setSpan(submitting, publish));
    return {
      traceparent: fields.traceparent,
      tracestate: fields.tracestate,
      end(status, error) {
        if (error !== undefined) recordError(publish, error);
        publish.end();
        recordCommandStatus(server, status);
        server.end();
      },
    };
  }

  /**
   * A submit_sm answered without being published (refused by validation,
   * throttling, a missing account, shutdown): one span, ended at once with
   * the command_status it was answered with.
   */
  refused(pdu: SubmitSm, systemId: string | undefined, sessionId: string, status: number): void {
    const span = startSmppSpan(tracer, {
      command: 'submit_sm',
      kind: SpanKind.SERVER,
      parent: ROOT_CONTEXT,
      ...(systemId === undefined ? {} : { systemId }),
      sessionId,
    });
    if (span.isRecording()) describeSubmit(span, pdu);
    recordCommandStatus(span, status);
    span.end();
  }
}
