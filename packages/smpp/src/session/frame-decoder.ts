/**
 * Incremental framing of an SMPP byte stream (spec §3.2): every PDU starts with
 * its 4-octet command_length. Chunks are kept as a list and never concatenated
 * as a whole; a frame that lies inside one chunk is returned as a zero-copy
 * view, and only a frame that spans chunks is copied once into its own buffer.
 * So the cost is linear in the bytes received, however the stream is split.
 */
import { Buffer } from 'node:buffer';
import { PDU_HEADER_LENGTH } from '../pdu/header.ts';
import { FramingError } from './session-errors.ts';

/**
 * Default cap on command_length: a 16 KiB PDU (node-smpp's own cap) plus room
 * for a 64 KiB message_payload TLV (DESIGN: long messages up to 64 KiB) and
 * the submit_sm fields around it.
 */
export const DEFAULT_MAX_COMMAND_LENGTH = 70_000;

const EMPTY = new Uint8Array(0);

/** Chunks retained beyond this many bytes for a partial frame are compacted (see needMore). */
const COMPACT_ABOVE = 4096;

/** Splits a byte stream into PDU frames; pull-based so that the reader can stop when its window is full. */
export class FrameDecoder {
  /** The largest command_length accepted; anything larger (or below 16) is a FramingError. */
  private max: number;
  private chunks: Uint8Array[] = [];
  /** Index of the first chunk with unread bytes. */
  private head = 0;
  /** Read offset inside `chunks[head]`. */
  private offset = 0;
  private buffered = 0;
  /** Bytes of the chunks from `head` on, read or not: what the buffered bytes keep alive. */
  private retained = 0;
  /** command_length of the frame being assembled; 0 while its header is incomplete. */
  private pendingLength = 0;
  private failure: FramingError | undefined;
  private readonly scratch = new Uint8Array(PDU_HEADER_LENGTH);

  constructor(options: { maxCommandLength?: number } = {}) {
    this.max = checkedMax(options.maxCommandLength ?? DEFAULT_MAX_COMMAND_LENGTH);
  }

  /** The largest command_length accepted; anything larger (or below 16) is a FramingError. */
  get maxCommandLength(): number {
    return this.max;
  }

  /**
   * Changes the cap for frames whose header is not read yet (a session
   * raises it once bound: before bind only small PDUs are expected).
   * @throws RangeError outside 16..0x7FFFFFFF.
   */
  setMaxCommandLength(max: number): void {
    this.max = checkedMax(max);
  }

  /** Unread bytes held (a partial frame, or whole frames not yet taken with `next()`). */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Appends bytes from the stream. Ignored once framing is lost. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0 || this.failure !== undefined) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.retained += chunk.length;
  }

  /**
   * The next complete frame (exactly one PDU, header included), or undefined
   * when more bytes are needed. The 16 header octets are always read before
   * command_length is judged, so the error can echo the sequence_number.
   * @throws FramingError when command_length is out of range; every later call throws it again.
   */
  next(): Uint8Array | undefined {
    if (this.failure !== undefined) throw this.failure;
    if (this.pendingLength === 0) {
      if (this.buffered < PDU_HEADER_LENGTH) {
        this.compactPartial();
        return undefined;
      }
      const header = this.peekHeader();
      const length = u32(header.bytes, header.at);
      if (length < PDU_HEADER_LENGTH || length > this.max) {
        this.failure = new FramingError(
          length,
          u32(header.bytes, header.at + 4),
          u32(header.bytes, header.at + 12),
          this.max,
        );
        this.clear();
        throw this.failure;
      }
      this.pendingLength = length;
    }
    const length = this.pendingLength;
    if (this.buffered < length) {
      this.compactPartial();
      return undefined;
    }
    this.pendingLength = 0;
    return this.take(length);
  }

  /** Drops every buffered byte (framing state is kept). */
  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.offset = 0;
    this.buffered = 0;
    this.retained = 0;
    this.pendingLength = 0;
  }

  /**
   * More bytes are needed. A partial frame at the end of a large chunk would
   * keep the whole chunk (up to 64 KiB per socket read) alive while the peer
   * dawdles; its few bytes are copied out instead, so what a connection holds
   * is about what it has unread (issue #14).
   */
  private compactPartial(): void {
    const retained = this.retained;
    if (retained > COMPACT_ABOVE && retained > 4 * this.buffered) {
      // Its own memory: Buffer.allocUnsafe would keep an 8 KiB pool slab alive.
      const copy = new Uint8Array(this.buffered);
      let written = 0;
      let from = this.offset;
      for (let i = this.head; i < this.chunks.length; i++) {
        const chunk = this.chunks[i] ?? EMPTY;
        copy.set(chunk.subarray(from), written);
        written += chunk.length - from;
        from = 0;
      }
      this.chunks = [copy];
      this.head = 0;
      this.offset = 0;
      this.retained = copy.length;
    }
  }

  /** The 16 header octets: a view into the first chunk, or a copy when the header spans chunks. */
  private peekHeader(): { bytes: Uint8Array; at: number } {
    const first = this.chunks[this.head] ?? EMPTY;
    if (first.length - this.offset >= PDU_HEADER_LENGTH) return { bytes: first, at: this.offset };
    let written = 0;
    let index = this.head;
    let from = this.offset;
    while (written < PDU_HEADER_LENGTH) {
      const chunk = this.chunks[index] ?? EMPTY;
      const n = Math.min(chunk.length - from, PDU_HEADER_LENGTH - written);
      this.scratch.set(chunk.subarray(from, from + n), written);
      written += n;
      index += 1;
      from = 0;
    }
    return { bytes: this.scratch, at: 0 };
  }

  /** Removes `length` bytes (all buffered) from the front. */
  private take(length: number): Uint8Array {
    this.buffered -= length;
    const first = this.chunks[this.head] ?? EMPTY;
    if (first.length - this.offset >= length) {
      const frame = first.subarray(this.offset, this.offset + length);
      this.offset += length;
      if (this.offset === first.length) this.dropHead();
      return frame;
    }
    const frame = Buffer.allocUnsafe(length);
    let written = 0;
    while (written < length) {
      const chunk = this.chunks[this.head] ?? EMPTY;
      const n = Math.min(chunk.length - this.offset, length - written);
      frame.set(chunk.subarray(this.offset, this.offset + n), written);
      written += n;
      this.offset += n;
      if (this.offset === chunk.length) this.dropHead();
    }
    return frame;
  }

  /** Releases the consumed first chunk; compacts the list now and then instead of shifting every time. */
  private dropHead(): void {
    this.retained -= this.chunks[this.head]?.length ?? 0;
    this.chunks[this.head] = EMPTY;
    this.head += 1;
    this.offset = 0;
    if (this.head === this.chunks.length) {
      this.chunks.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.chunks.length) {
      this.chunks.splice(0, this.head);
      this.head = 0;
    }
  }
}

function checkedMax(max: number): number {
  if (!Number.isInteger(max) || max < PDU_HEADER_LENGTH || max > 0x7fffffff) {
    throw new RangeError(`maxCommandLength must be an integer in ${PDU_HEADER_LENGTH}..0x7FFFFFFF`);
  }
  return max;
}

/** Big-endian unsigned 32-bit read; callers guarantee 4 bytes at `at`. */
function u32(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at] ?? 0) * 0x1000000 +
      (((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0))) >>>
    0
  );
}
