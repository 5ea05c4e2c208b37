/**
 * Turning a buffer of UTF-16 code units into a string without per-character
 * concatenation: `String.fromCharCode.apply` on bounded chunks for short input
 * (the argument count of `apply` is limited by the stack), Node's native
 * UTF-16LE decoder for long input on little-endian hosts. Decoders fill a
 * shared scratch buffer rather than allocate one per call (allocation is
 * about half the cost of decoding a short message).
 */
import { Buffer } from 'node:buffer';

// Beyond this many units the native decoder wins over fromCharCode.apply.
const NATIVE_THRESHOLD = 256;
// Safe argument count for Function.prototype.apply on every engine we run on.
const APPLY_CHUNK = 8192;
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

let scratch = new Uint16Array(512);

/**
 * A shared buffer of at least `length` code units, to fill and hand straight to
 * `stringFromCodeUnits`. Valid until the next call; it grows to fit the longest
 * message seen and keeps that size (a few hundred KiB at most, for a 64 KiB message_payload).
 */
export function codeUnitScratch(length: number): Uint16Array {
  if (scratch.length < length) scratch = new Uint16Array(Math.max(length, scratch.length * 2));
  return scratch;
}

function fromCharCodes(units: Uint16Array): string {
  return String.fromCharCode.apply(null, units as unknown as number[]);
}

/** The string made of the first `length` code units of `units`. */
export function stringFromCodeUnits(units: Uint16Array, length: number = units.length): string {
  if (length <= NATIVE_THRESHOLD) return fromCharCodes(units.subarray(0, length));
  if (LITTLE_ENDIAN) return Buffer.from(units.buffer, units.byteOffset, length * 2).toString('utf16le');
  let out = '';
  for (let start = 0; start < length; start += APPLY_CHUNK) {
    out += fromCharCodes(units.subarray(start, Math.min(start + APPLY_CHUNK, length)));
  }
  return out;
}
