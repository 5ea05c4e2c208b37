import { SmppError } from '../errors.ts';

/**
 * A message cannot be split, a UDH is malformed, or concatenation values are
 * out of range. `commandStatus` is what a server answers: ESME_RINVMSGLEN for
 * too many parts and malformed UDHs, ESME_RMISSINGOPTPARAM /
 * ESME_RINVOPTPARAMVAL for incomplete or invalid SAR TLVs.
 */
export class SegmentError extends SmppError {
  constructor(commandStatus: number, message: string, options?: ErrorOptions) {
    super(commandStatus, message, options);
    this.name = 'SegmentError';
  }
}
