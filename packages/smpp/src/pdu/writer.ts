/**
 * Second encoder pass: writes the fields the PduSizer has validated into a
 * buffer of exactly the counted size. No checks here; the sizer did them.
 */
import type { Tlvs } from '../constants/tlv.ts';
import { writeAscii } from './ascii.ts';
import type { FieldSink } from './field-sink.ts';
import type { CStringField } from './fields.ts';
import { writeTlvs } from './tlv-codec.ts';

const NO_BYTES = new Uint8Array(0);

/** Writes fields front to back into `bytes` from `pos`. */
export class PduWriter implements FieldSink {
  /** The buffer being filled. */
  bytes: Uint8Array = NO_BYTES;
  /** Offset of the next octet to write. */
  pos = 0;

  /** Starts writing into `bytes` at `pos`. */
  reset(bytes: Uint8Array, pos: number): void {
    this.bytes = bytes;
    this.pos = pos;
  }

  /** Lets go of the buffer so that it is not kept alive between encodes. */
  release(): void {
    this.bytes = NO_BYTES;
  }

  u8(value: number): void {
    this.bytes[this.pos++] = value;
  }

  u32(value: number): void {
    const b = this.bytes;
    const at = this.pos;
    b[at] = value >>> 24;
    b[at + 1] = value >>> 16;
    b[at + 2] = value >>> 8;
    b[at + 3] = value;
    this.pos = at + 4;
  }

  cstring(value: string, _field?: CStringField): void {
    const at = writeAscii(this.bytes, this.pos, value);
    this.bytes[at] = 0;
    this.pos = at + 1;
  }

  time(value: string, _field?: CStringField): void {
    this.cstring(value);
  }

  shortMessage(value: Uint8Array): void {
    const b = this.bytes;
    const at = this.pos;
    b[at] = value.length;
    b.set(value, at + 1);
    this.pos = at + 1 + value.length;
  }

  tlvs(value: Tlvs): void {
    this.pos = writeTlvs(this.bytes, this.pos, value);
  }
}
