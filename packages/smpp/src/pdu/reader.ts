/**
 * A cursor over the body of one PDU frame. Every read checks the bounds and
 * fails with a PduDecodeError that carries the header's command_id and
 * sequence_number, so that the peer can be answered.
 */
import { Buffer } from 'node:buffer';
import { CommandStatus } from '../constants/command-status.ts';
import { PduDecodeError } from '../errors.ts';
import { TIME_LENGTH, type CStringField } from './fields.ts';

/** Reads fields front to back from `bytes[pos, end)`. */
export class PduReader {
  /** The frame (a Buffer view: latin1 decoding is native). */
  readonly bytes: Buffer;
  /** Offset of the next unread octet. */
  pos: number;
  /** Offset just past the frame. */
  readonly end: number;
  /** command_id of the frame, for errors. */
  readonly commandId: number;
  /** sequence_number of the frame, for errors. */
  readonly sequenceNumber: number;
  /**
   * When set, a field that starts exactly at the end of the frame reads as its
   * default (0 or '') instead of failing: responses may omit their body.
   */
  readonly lenient: boolean;

  constructor(
    bytes: Buffer,
    pos: number,
    end: number,
    commandId: number,
    sequenceNumber: number,
    lenient = false,
  ) {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
    this.commandId = commandId;
    this.sequenceNumber = sequenceNumber;
    this.lenient = lenient;
  }

  /** Throws a PduDecodeError for this frame. */
  fail(commandStatus: number, message: string): never {
    throw new PduDecodeError(commandStatus, message, {
      commandId: this.commandId,
      sequenceNumber: this.sequenceNumber,
    });
  }

  /** Fails with ESME_RINVCMDLEN: the body ends inside a mandatory field. */
  private short(field: string): never {
    return this.fail(CommandStatus.ESME_RINVCMDLEN, `PDU body ends before ${field}`);
  }

  /** True when a lenient reader has reached the end: the field takes its default. */
  private omitted(at: number): boolean {
    return this.lenient && at === this.end;
  }

  /** A 1-octet integer. */
  u8(field: string): number {
    const at = this.pos;
    if (at >= this.end) {
      if (this.omitted(at)) return 0;
      this.short(field);
    }
    this.pos = at + 1;
    return this.bytes[at] as number;
  }

  /** A 4-octet big-endian integer. */
  u32(field: string): number {
    const at = this.pos;
    if (at + 4 > this.end) {
      if (this.omitted(at)) return 0;
      this.short(field);
    }
    const b = this.bytes;
    this.pos = at + 4;
    return (
      (b[at] as number) * 0x1000000 +
      (((b[at + 1] as number) << 16) | ((b[at + 2] as number) << 8) | (b[at + 3] as number))
    );
  }

  /**
   * A C-Octet String of at most `field.max` octets with its NUL. No NUL within
   * the field's maximum → `field.status`; no NUL before the end of the frame →
   * ESME_RINVCMDLEN. Octets are read as Latin-1 so that nothing is rejected for
   * its characters.
   */
  cstring(field: CStringField): string {
    const b = this.bytes;
    const start = this.pos;
    const end = this.end;
    const limit = start + field.max < end ? start + field.max : end;
    let at = start;
    while (at < limit && b[at] !== 0) at++;
    if (at === limit) {
      if (start === end && this.lenient) return '';
      if (limit === end) this.short(field.name);
      this.fail(field.status, `${field.name} is longer than ${field.max - 1} characters`);
    }
    this.pos = at + 1;
    return at === start ? '' : b.toString('latin1', start, at);
  }

  /** An SMPP time field: a C-Octet String that is empty or exactly 16 characters (spec §7.1). */
  time(field: CStringField): string {
    const value = this.cstring(field);
    if (value.length !== 0 && value.length !== TIME_LENGTH) {
      this.fail(
        field.status,
        `${field.name} must be empty or ${TIME_LENGTH} characters, got ${value.length}`,
      );
    }
    return value;
  }

  /** `length` octets, copied out of the frame (the caller may reuse its buffer). */
  octets(length: number, field: string, status: number = CommandStatus.ESME_RINVCMDLEN): Uint8Array {
    const at = this.pos;
    if (length > this.end - at) {
      this.fail(status, `${field} of ${length} octets runs past the end of the PDU`);
    }
    this.pos = at + length;
    return copyOctets(this.bytes, at, length);
  }
}

/** Size of the shared slabs small Octet String copies are carved from (as Node's Buffer pool). */
const SLAB_SIZE = 8192;
/** Copies larger than this get an ArrayBuffer of their own. */
const MAX_SLAB_COPY = SLAB_SIZE >>> 1;

let slab = new ArrayBuffer(SLAB_SIZE);
let slabUsed = 0;

/**
 * A copy of `bytes[at, at + length)` the caller owns. Small copies are views
 * into a shared 8 KiB slab, as Node's Buffer pool does: a fresh ArrayBuffer
 * per short_message costs ten times more. (So `copy.buffer` is the slab; use
 * `byteOffset`/`byteLength` when going through it.)
 */
export function copyOctets(bytes: Uint8Array, at: number, length: number): Uint8Array {
  let out: Uint8Array;
  if (length > MAX_SLAB_COPY) {
    out = new Uint8Array(length);
  } else {
    if (slabUsed + length > SLAB_SIZE) {
      slab = new ArrayBuffer(SLAB_SIZE);
      slabUsed = 0;
    }
    out = new Uint8Array(slab, slabUsed, length);
    // Keep views 8-aligned, as the Buffer pool does.
    slabUsed = (slabUsed + length + 7) & ~7;
  }
  if (length !== 0) out.set(bytes.subarray(at, at + length));
  return out;
}

/** A Buffer over the same memory as `bytes`, without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
