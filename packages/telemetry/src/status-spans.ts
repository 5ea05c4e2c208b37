/**
 * Outcomes and errors on spans. SMPP outcomes are recorded by command_status
 * name (commandStatusName: `ESME_RTHROTTLED`, not 88), as attribute and as the
 * status description of a failed span, so that Jaeger shows and finds them by
 * the names the SMPP specification and customers use.
 */
import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { CommandStatus, commandStatusName } from '@smsgw/smpp';
import { SmppAttr } from './attributes.ts';

/** Records the command_status a PDU was answered with; a status other than ESME_ROK marks the span failed. */
export function recordCommandStatus(span: Span, status: number): void {
  if (!span.isRecording()) return;
  const name = commandStatusName(status);
  span.setAttribute(SmppAttr.commandStatus, name);
  span.setAttribute(SmppAttr.commandStatusCode, status);
  if (status !== CommandStatus.ESME_ROK) {
    span.setAttribute(ATTR_ERROR_TYPE, name);
    span.setStatus({ code: SpanStatusCode.ERROR, message: name });
  }
}

/** The command_status an error carries (SmppError and its kin), if any. */
function commandStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('commandStatus' in error)) return undefined;
  const status = error.commandStatus;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Records a failure: the exception (type, message, stack) and an error
 * status described by `description` (default: the error's message). An error
 * carrying an SMPP command_status also gets it by name.
 */
export function recordError(span: Span, error: unknown, description?: string): void {
  if (!span.isRecording()) return;
  const exception = error instanceof Error ? error : new Error(String(error));
  span.recordException(exception);
  span.setAttribute(ATTR_ERROR_TYPE, exception.name);
  const status = commandStatusOf(error);
  if (status !== undefined) {
    span.setAttribute(SmppAttr.commandStatus, commandStatusName(status));
    span.setAttribute(SmppAttr.commandStatusCode, status);
  }
  span.setStatus({ code: SpanStatusCode.ERROR, message: description ?? exception.message });
}

/** Marks a span failed without an exception (a nak, a rejection): `errorType` goes to error.type. */
export function recordFailure(span: Span, errorType: string, description?: string): void {
  if (!span.isRecording()) return;
  span.setAttribute(ATTR_ERROR_TYPE, errorType);
  span.setStatus({ code: SpanStatusCode.ERROR, message: description ?? errorType });
}
