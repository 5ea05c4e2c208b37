import { CommandStatus, commandStatusName } from './constants/command-status.ts';

/** Base of every error this library raises; carries the command_status an SMPP peer should be answered with. */
export class SmppError extends Error {
  /** The command_status that describes this error on the wire. */
  readonly commandStatus: number;

  constructor(commandStatus: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SmppError';
    this.commandStatus = commandStatus;
  }

  /** The command_status name, e.g. `ESME_RINVCMDLEN`. */
  get commandStatusName(): string {
    return commandStatusName(this.commandStatus);
  }
}

/**
 * A PDU could not be decoded. `commandId` and `sequenceNumber` are set when the
 * header was readable, so that a server can answer with the matching response
 * or generic_nack and the same sequence number (spec §2.4, §4.3).
 */
export class PduDecodeError extends SmppError {
  readonly commandId: number | undefined;
  readonly sequenceNumber: number | undefined;

  constructor(
    commandStatus: number,
    message: string,
    header?: { commandId: number; sequenceNumber: number },
    options?: ErrorOptions,
  ) {
    super(commandStatus, message, options);
    this.name = 'PduDecodeError';
    this.commandId = header?.commandId;
    this.sequenceNumber = header?.sequenceNumber;
  }
}

/** A PDU could not be encoded because a field is out of range (e.g. a C-Octet String over its maximum). */
export class PduEncodeError extends SmppError {
  constructor(
    message: string,
    commandStatus: number = CommandStatus.ESME_RINVPARLEN,
    options?: ErrorOptions,
  ) {
    super(commandStatus, message, options);
    this.name = 'PduEncodeError';
  }
}

/** Text is not valid in the data_coding it claims (undecodable payload), or cannot be encoded in it. */
export class TextCodingError extends SmppError {
  constructor(
    message: string,
    commandStatus: number = CommandStatus.ESME_RINVMSGLEN,
    options?: ErrorOptions,
  ) {
    super(commandStatus, message, options);
    this.name = 'TextCodingError';
  }
}
