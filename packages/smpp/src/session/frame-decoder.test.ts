import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { DEFAULT_MAX_COMMAND_LENGTH, FrameDecoder } from './frame-decoder.ts';
import { FramingError } from './session-errors.ts';

/** A frame (a Buffer, like socket chunks) with a valid header and `bodyLength` body bytes derived from the sequence number. */
function frame(sequenceNumber: number, bodyLength: number, commandId = 0x00000004): Uint8Array {
  const bytes = Buffer.alloc(16 + bodyLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  view.setUint32(0, bytes.length);
  view.setUint32(4, commandId);
  view.setUint32(12, sequenceNumber);
  for (let i = 16; i < bytes.length; i++) bytes[i] = (sequenceNumber + i) & 0xff;
  return bytes;
}

function concat(parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

function drain(decoder: FrameDecoder): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let f = decoder.next(); f !== undefined; f = decoder.next()) frames.push(f);
  return frames;
}

describe('FrameDecoder', () => {
  it('returns a frame inside one chunk as a view, without copying', () => {
    const decoder = new FrameDecoder();
    const bytes = frame(1, 10);
    decoder.push(bytes);
    const out = decoder.next();
    expect(out).toEqual(bytes);
    expect(out?.buffer).toBe(bytes.buffer);
    expect(decoder.next()).toBeUndefined();
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('splits many PDUs from one chunk', () => {
    const frames = Array.from({ length: 50 }, (_, i) => frame(i + 1, i % 7));
    const decoder = new FrameDecoder();
    decoder.push(concat(frames));
    expect(drain(decoder)).toEqual(frames);
  });

  it('waits for a header split across chunks, then for the body', () => {
    const bytes = frame(9, 20);
    const decoder = new FrameDecoder();
    decoder.push(bytes.subarray(0, 3));
    expect(decoder.next()).toBeUndefined();
    decoder.push(bytes.subarray(3, 15));
    expect(decoder.next()).toBeUndefined();
    decoder.push(bytes.subarray(15, 30));
    expect(decoder.next()).toBeUndefined();
    decoder.push(bytes.subarray(30));
    expect(decoder.next()).toEqual(bytes);
  });

  it('reassembles a maximum-size frame fed in tiny chunks', () => {
    const bytes = frame(3, DEFAULT_MAX_COMMAND_LENGTH - 16);
    const decoder = new FrameDecoder();
    const seen: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 3) {
      decoder.push(bytes.subarray(i, i + 3));
      const f = decoder.next();
      if (f !== undefined) seen.push(f);
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual(bytes);
  });

  it('yields the same frames however the stream is split (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (bodyLengths, cutSeeds) => {
          const frames = bodyLengths.map((n, i) => frame(i + 1, n));
          const stream = concat(frames);
          const cuts = [...new Set(cutSeeds.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const decoder = new FrameDecoder();
          const out: Uint8Array[] = [];
          let from = 0;
          for (const cut of [...cuts, stream.length]) {
            decoder.push(stream.subarray(from, cut));
            out.push(...drain(decoder));
            from = cut;
          }
          expect(out).toEqual(frames);
          expect(decoder.bufferedBytes).toBe(0);
        },
      ),
    );
  });

  it('loses framing on command_length above the cap, echoing the header', () => {
    const decoder = new FrameDecoder({ maxCommandLength: 100 });
    const bytes = frame(77, 85); // 101 octets
    decoder.push(frame(1, 0));
    decoder.push(bytes);
    expect(decoder.next()).toEqual(frame(1, 0));
    let error: unknown;
    try {
      decoder.next();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FramingError);
    const framing = error as FramingError;
    expect(framing.commandStatus).toBe(CommandStatus.ESME_RINVCMDLEN);
    expect(framing.commandLength).toBe(101);
    expect(framing.sequenceNumber).toBe(77);
    expect(framing.commandId).toBe(4);
    // Framing stays lost: later bytes are ignored and every call throws again.
    decoder.push(frame(2, 0));
    expect(() => decoder.next()).toThrow(FramingError);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('loses framing on command_length below 16', () => {
    for (const length of [0, 1, 15]) {
      const decoder = new FrameDecoder();
      const bytes = frame(5, 0);
      new DataView(bytes.buffer, bytes.byteOffset).setUint32(0, length);
      decoder.push(bytes);
      expect(() => decoder.next()).toThrow(FramingError);
    }
  });

  it('treats a command_length with bit 31 set as lost framing', () => {
    const decoder = new FrameDecoder();
    const bytes = frame(5, 0);
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(0, 0x80000010);
    decoder.push(bytes);
    expect(() => decoder.next()).toThrow(FramingError);
  });

  it('accepts exactly the cap and rejects invalid caps', () => {
    const decoder = new FrameDecoder({ maxCommandLength: 40 });
    decoder.push(frame(1, 24));
    expect(decoder.next()).toHaveLength(40);
    expect(() => new FrameDecoder({ maxCommandLength: 15 })).toThrow(RangeError);
  });

  it('keeps working after many chunks were consumed (list compaction)', () => {
    const decoder = new FrameDecoder();
    const bytes = frame(1, 4000);
    const frames: Uint8Array[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < bytes.length; i += 2) decoder.push(bytes.subarray(i, i + 2));
      frames.push(...drain(decoder));
    }
    expect(frames).toEqual([bytes, bytes, bytes]);
  });
});

describe('FrameDecoder: memory held for a partial frame', () => {
  it('copies a partial frame out of a large chunk instead of keeping the chunk', () => {
    const decoder = new FrameDecoder();
    const chunk = Buffer.alloc(64 * 1024);
    for (let at = 0; at + 16 <= chunk.length - 16; at += 16) chunk.writeUInt32BE(16, at);
    // The last 16 bytes: the header of a 100-byte frame whose body has not arrived.
    chunk.writeUInt32BE(100, chunk.length - 16);
    decoder.push(chunk);
    let frames = 0;
    while (decoder.next() !== undefined) frames++;
    expect(frames).toBe(64 * 64 - 1);
    const held = (decoder as unknown as { chunks: Uint8Array[] }).chunks;
    expect(held.reduce((sum, c) => sum + c.byteLength, 0)).toBe(16);
    expect(held[0]?.buffer).not.toBe(chunk.buffer);
    decoder.push(Buffer.alloc(84));
    expect(decoder.next()).toHaveLength(100);
  });

  it('applies a changed maxCommandLength to the next frame', () => {
    const decoder = new FrameDecoder({ maxCommandLength: 64 });
    decoder.setMaxCommandLength(200);
    const frame = Buffer.alloc(100);
    frame.writeUInt32BE(100, 0);
    decoder.push(frame);
    expect(decoder.next()).toHaveLength(100);
    expect(decoder.maxCommandLength).toBe(200);
    expect(() => {
      decoder.setMaxCommandLength(8);
    }).toThrow(RangeError);
  });
});
