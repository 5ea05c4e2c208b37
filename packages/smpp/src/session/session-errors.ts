/**
 * Typed errors of the session engine. Each carries the command_status that
 * describes it, so that a gateway proxying a request can answer its own peer
 * with it (e.g. a timed-out upstream submit becomes ESME_RSYSERR, a transient
 * status a client retries).
 */
import { CommandStatus } from '../constants/command-status.ts';
import { SmppError } from '../errors.ts';
import type { Pdu } from '../pdu/types.ts';
import type { CloseReason } from './close-reason.ts';

/**
 * command_length is below 16 or above the session's cap: the byte stream can
 * no longer be split into PDUs (framing is lost), so the session answers
 * generic_nack ESME_RINVCMDLEN and closes (spec §3.2, docs/smpp-reference.md §1.6).
 */
export class FramingError extends SmppError {
  /** The command_length read from the wire. */
  readonly commandLength: number;
  /** The header's command_id (the header is always read whole before judging). */
  readonly commandId: number;
  /** The header's sequence_number, echoed in the generic_nack. */
  readonly sequenceNumber: number;

  constructor(commandLength: number, commandId: number, sequenceNumber: number, maxCommandLength: number) {
    super(
      CommandStatus.ESME_RINVCMDLEN,
      `command_length ${commandLength} is outside 16..${maxCommandLength}: framing lost`,
    );
    this.name = 'FramingError';
    this.commandLength = commandLength;
    this.commandId = commandId;
    this.sequenceNumber = sequenceNumber;
  }
}

/** The session closed before the request was answered (or before it could be sent). */
export class SessionClosedError extends SmppError {
  /** Why the session closed. */
  readonly reason: CloseReason;

  constructor(reason: CloseReason) {
    super(CommandStatus.ESME_RSYSERR, `SMPP session closed (${reason.code})`, { cause: reason.error });
    this.name = 'SessionClosedError';
    this.reason = reason;
  }
}

/** No response arrived within the response timeout; the outcome at the peer is unknown. */
export class ResponseTimeoutError extends SmppError {
  /** The request's command name, e.g. `submit_sm`. */
  readonly command: string;
  /** The request's sequence_number. */
  readonly sequenceNumber: number;

  constructor(command: string, sequenceNumber: number, timeout: number) {
    super(CommandStatus.ESME_RSYSERR, `no response to ${command} #${sequenceNumber} within ${timeout} ms`);
    this.name = 'ResponseTimeoutError';
    this.command = command;
    this.sequenceNumber = sequenceNumber;
  }
}

/** The peer answered our request with generic_nack; `commandStatus` is the nack's status (spec §4.3). */
export class GenericNackError extends SmppError {
  /** The request's command name. */
  readonly command: string;
  /** The request's sequence_number. */
  readonly sequenceNumber: number;

  constructor(command: string, sequenceNumber: number, commandStatus: number) {
    super(commandStatus, `${command} #${sequenceNumber} answered with generic_nack`);
    this.name = 'GenericNackError';
    this.command = command;
    this.sequenceNumber = sequenceNumber;
  }
}

/** The outbound window and its wait queue are both full; retry later. */
export class WindowFullError extends SmppError {
  constructor(windowSize: number, maxQueuedRequests: number) {
    super(
      CommandStatus.ESME_RTHROTTLED,
      `outbound window (${windowSize}) and wait queue (${maxQueuedRequests}) are full`,
    );
    this.name = 'WindowFullError';
  }
}

/** The request is not allowed in the session's state (e.g. submit_sm before bind, a second bind). */
export class InvalidStateError extends SmppError {
  constructor(commandStatus: number, message: string) {
    super(commandStatus, message);
    this.name = 'InvalidStateError';
  }
}

/** The peer refused our bind; `commandStatus` is the bind_*_resp status (e.g. ESME_RINVPASWD). */
export class BindRejectedError extends SmppError {
  constructor(command: string, commandStatus: number) {
    super(commandStatus, `${command} rejected`);
    this.name = 'BindRejectedError';
  }
}

/**
 * A response that answers nothing we sent (unknown sequence_number), or whose
 * command does not match the request with its sequence_number. Emitted as a
 * session warning, or rejects the mismatched request.
 */
export class UnexpectedResponseError extends SmppError {
  /** The response as received. */
  readonly pdu: Pdu;

  constructor(pdu: Pdu, message: string) {
    super(CommandStatus.ESME_RINVCMDID, message);
    this.name = 'UnexpectedResponseError';
    this.pdu = pdu;
  }
}

/** `respond()` was given a PDU that answers no pending inbound request (a bug in the caller). */
export class NoPendingRequestError extends SmppError {
  constructor(command: string, sequenceNumber: number) {
    super(
      CommandStatus.ESME_RSYSERR,
      `no pending inbound request #${sequenceNumber} to answer with ${command}`,
    );
    this.name = 'NoPendingRequestError';
  }
}

/** The TCP/TLS connection was not established within the connect timeout. */
export class ConnectTimeoutError extends SmppError {
  constructor(host: string, port: number, timeout: number) {
    super(CommandStatus.ESME_RSYSERR, `connecting to ${host}:${port} timed out after ${timeout} ms`);
    this.name = 'ConnectTimeoutError';
  }
}
