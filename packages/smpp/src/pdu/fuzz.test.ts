/**
 * Decoder fuzzing: random frames and mutations of valid frames. decodePdu must
 * return a PDU or throw a PduDecodeError, nothing else, ever; what it returns
 * must survive encoding again. Runs are bounded so the file takes seconds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandId } from '../constants/command-id.ts';
import { PduDecodeError, PduEncodeError } from '../errors.ts';
import { anyPdu } from './arbitraries.test-support.ts';
import { decodePdu } from './decode.ts';
import { encodePdu } from './encode.ts';
import type { Pdu } from './types.ts';

const knownIds = Object.values(CommandId);

/** Decodes and checks the contract; returns the PDU, or undefined after a PduDecodeError. */
function decodeChecked(frame: Uint8Array): Pdu | undefined {
  try {
    return decodePdu(frame);
  } catch (error) {
    if (!(error instanceof PduDecodeError)) throw error;
    if (frame.length >= 16) {
      // The header was readable: the error names it so that the peer can be answered.
      const view = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
      expect(error.commandId).toBe(view.readUInt32BE(4));
      expect(error.sequenceNumber).toBe(view.readUInt32BE(12));
    }
    expect(error.commandStatus).toBeGreaterThan(0);
    return undefined;
  }
}

/**
 * Whatever decodes re-encodes (or is refused with a PduEncodeError, e.g. a
 * Latin-1 character the encoder will not send), and re-decodes to the same PDU.
 */
function checkReencode(pdu: Pdu): void {
  let bytes: Uint8Array;
  try {
    bytes = encodePdu(pdu, { errorResponseBody: 'empty' });
  } catch (error) {
    expect(error).toBeInstanceOf(PduEncodeError);
    return;
  }
  expect(decodePdu(bytes)).toEqual(pdu);
}

/** Decodes, checks, and re-encodes when it decoded. */
function fuzzOne(frame: Uint8Array): void {
  const pdu = decodeChecked(frame);
  if (pdu !== undefined) checkReencode(pdu);
}

/** A 16-octet header with the given fields. */
function header(length: number, id: number, status: number, seq: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt32BE(length >>> 0, 0);
  h.writeUInt32BE(id >>> 0, 4);
  h.writeUInt32BE(status >>> 0, 8);
  h.writeUInt32BE(seq >>> 0, 12);
  return h;
}

const u32 = fc.integer({ min: 0, max: 0xffffffff });

/** A mutation applied to an encoded PDU. */
type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; keep: number; fixLength: boolean }
  | { kind: 'insert'; at: number; bytes: Uint8Array; fixLength: boolean }
  | { kind: 'length'; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat(), fixLength: fc.boolean() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    fixLength: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('length' as const), value: u32 }),
);

/** Applies a mutation to a copy of `frame`. Mutations past the header keep command_length right when asked. */
function mutate(frame: Uint8Array, m: Mutation): Buffer {
  const bytes = Buffer.from(frame);
  // An earlier truncation may have left too little to mutate this way.
  if (bytes.length === 0 || (bytes.length < 16 && (m.kind === 'insert' || m.kind === 'length'))) return bytes;
  switch (m.kind) {
    case 'flip': {
      const at = m.at % bytes.length;
      bytes[at] = (bytes[at] as number) ^ (1 << m.bit);
      return bytes;
    }
    case 'set':
      bytes[m.at % bytes.length] = m.value;
      return bytes;
    case 'truncate': {
      const out = bytes.subarray(0, m.keep % (bytes.length + 1));
      if (m.fixLength && out.length >= 16) out.writeUInt32BE(out.length, 0);
      return out;
    }
    case 'insert': {
      const at = 16 + (m.at % (bytes.length - 15));
      const out = Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
      if (m.fixLength) out.writeUInt32BE(out.length, 0);
      return out;
    }
    case 'length':
      bytes.writeUInt32BE(m.value, 0);
      return bytes;
  }
}

// A fixed seed keeps the suite deterministic; change it locally to explore further.
fc.configureGlobal({ seed: 0x5eed });

describe('decoder fuzz', () => {
  it('random octets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        fuzzOne(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('a consistent header with a known command_id and a random body', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...knownIds),
        fc.oneof(fc.constant(0), u32),
        u32,
        fc.uint8Array({ maxLength: 120 }),
        (id, status, seq, body) => {
          fuzzOne(Buffer.concat([header(16 + body.length, id, status, seq), body]));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('a consistent header with a random body built from plausible pieces', () => {
    // Bodies of NUL-terminated digit strings and small integers get far deeper into the decoders than noise.
    const piece = fc.oneof(
      fc.stringMatching(/^[0-9]{0,22}$/).map((s) => Buffer.from(`${s}\0`, 'latin1')),
      fc.integer({ min: 0, max: 255 }).map((n) => Buffer.from([n])),
      fc.constantFrom(
        Buffer.from([0x02, 0x04, 0x00, 0x02]),
        Buffer.from([0x04, 0x27, 0x00, 0x01]),
        Buffer.from([0]),
      ),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...knownIds),
        u32,
        fc.array(piece, { maxLength: 24 }),
        (id, seq, pieces) => {
          const body = Buffer.concat(pieces);
          fuzzOne(Buffer.concat([header(16 + body.length, id, 0, seq), body]));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('mutations of valid PDUs', () => {
    fc.assert(
      fc.property(anyPdu, fc.array(mutation, { minLength: 1, maxLength: 3 }), (pdu, mutations) => {
        let bytes: Uint8Array = encodePdu(pdu);
        for (const m of mutations) bytes = mutate(bytes, m);
        fuzzOne(bytes);
      }),
      { numRuns: 3000 },
    );
  });

  it('every truncation of a few PDUs, with command_length fixed up', () => {
    fc.assert(
      fc.property(anyPdu, (pdu) => {
        const bytes = encodePdu(pdu);
        for (let keep = 0; keep < bytes.length; keep++) {
          const cut = Buffer.from(bytes.subarray(0, keep));
          if (keep >= 16) cut.writeUInt32BE(keep, 0);
          fuzzOne(cut);
        }
      }),
      { numRuns: 100 },
    );
  });
});
