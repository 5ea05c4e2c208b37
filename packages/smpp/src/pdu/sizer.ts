/**
 * First encoder pass: validates every field and counts the octets of the body,
 * so that the writer can fill one buffer of exactly the right size.
 */
import { CommandStatus } from '../constants/command-status.ts';
import type { Tlvs } from '../constants/tlv.ts';
import { PduEncodeError } from '../errors.ts';
import { isCOctetText } from './ascii.ts';
import type { FieldSink } from './field-sink.ts';
import { MAX_SHORT_MESSAGE, TIME_LENGTH, type CStringField } from './fields.ts';
import { tlvsSize } from './tlv-codec.ts';

/** Fails an encode for an integer field out of range. */
function badInteger(field: string, value: unknown, octets: number): never {
  throw new PduEncodeError(
    `${field} must be an integer that fits in ${octets} octet(s), got ${String(value)}`,
  );
}

/** Validates fields and sums their wire size into `length`. */
export class PduSizer implements FieldSink {
  /** Octets counted so far. */
  length = 0;

  /** Starts a new count. */
  reset(): void {
    this.length = 0;
  }

  u8(value: number, field: string): void {
    if ((value & 0xff) !== value) badInteger(field, value, 1);
    this.length += 1;
  }

  u32(value: number, field: string): void {
    if (value >>> 0 !== value) badInteger(field, value, 4);
    this.length += 4;
  }

  cstring(value: string, field: CStringField): void {
    if (typeof value !== 'string' || !isCOctetText(value)) {
      throw new PduEncodeError(`${field.name} must be ASCII text without NUL`, field.status);
    }
    if (value.length >= field.max) {
      throw new PduEncodeError(
        `${field.name} has ${value.length} characters, at most ${field.max - 1} fit`,
        field.status,
      );
    }
    this.length += value.length + 1;
  }

  time(value: string, field: CStringField): void {
    if (typeof value === 'string' && value.length !== 0 && value.length !== TIME_LENGTH) {
      throw new PduEncodeError(
        `${field.name} must be '' or ${TIME_LENGTH} characters, got ${value.length}`,
        field.status,
      );
    }
    this.cstring(value, field);
  }

  shortMessage(value: Uint8Array): void {
    if (!(value instanceof Uint8Array)) {
      throw new PduEncodeError('short_message must be a Uint8Array', CommandStatus.ESME_RINVMSGLEN);
    }
    if (value.length > MAX_SHORT_MESSAGE) {
      throw new PduEncodeError(
        `short_message has ${value.length} octets, at most ${MAX_SHORT_MESSAGE} fit (use message_payload)`,
        CommandStatus.ESME_RINVMSGLEN,
      );
    }
    this.length += 1 + value.length;
  }

  tlvs(value: Tlvs): void {
    const checked: unknown = value;
    if (typeof checked !== 'object' || checked === null) {
      throw new PduEncodeError('tlvs must be an object', CommandStatus.ESME_RINVOPTPARAMVAL);
    }
    this.length += tlvsSize(value);
  }
}
