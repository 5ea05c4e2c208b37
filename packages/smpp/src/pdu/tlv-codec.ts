/**
 * Optional parameters (TLVs, spec §3.2.4 and §5.3): tag (2 octets), length of
 * the value (2 octets), value. Decoding keeps wire order as key insertion
 * order; encoding writes keys in insertion order, then `unknown`, so a decoded
 * PDU re-encodes to the same octets.
 */
import { CommandStatus } from '../constants/command-status.ts';
import { TlvDefs, type RawTlv, type TlvDef, type TlvKey, type Tlvs } from '../constants/tlv.ts';
import { PduEncodeError } from '../errors.ts';
import { isCOctetText, writeAscii } from './ascii.ts';
import { copyOctets, type PduReader } from './reader.ts';

/** Octets of a TLV's tag and length. */
export const TLV_HEADER_LENGTH = 4;

/** Largest TLV value: the length field is 2 octets. */
export const MAX_TLV_VALUE_LENGTH = 0xffff;

interface TlvEntry {
  readonly key: TlvKey;
  readonly def: TlvDef;
}

const entryByTag = new Map<number, TlvEntry>(
  (Object.keys(TlvDefs) as TlvKey[]).map((key) => [TlvDefs[key].tag, { key, def: TlvDefs[key] }]),
);

const defsByKey: Readonly<Record<string, TlvDef>> = TlvDefs;

/** `0x0204`-style tag for messages. */
function hexTag(tag: number): string {
  return `0x${tag.toString(16).padStart(4, '0')}`;
}

/** What a TLV of this definition must measure, for messages. */
function expectedLength(def: TlvDef): string {
  switch (def.type) {
    case 'u8':
      return '1';
    case 'u16':
      return '2';
    case 'u32':
      return '4';
    case 'empty':
      return '0';
    case 'networkErrorCode':
      return '3';
    case 'cstring':
      return `1..${def.max} with one NUL at the end`;
    case 'octets':
      return `${def.min}..${Math.min(def.max, MAX_TLV_VALUE_LENGTH)}`;
  }
}

/**
 * Decodes the value of a known TLV at `bytes[at, at + length)`, or returns
 * undefined when its length does not fit its definition.
 */
function decodeValue(r: PduReader, def: TlvDef, at: number, length: number): unknown {
  const b = r.bytes;
  switch (def.type) {
    case 'u8':
      return length === 1 ? b[at] : undefined;
    case 'u16':
      return length === 2 ? ((b[at] as number) << 8) | (b[at + 1] as number) : undefined;
    case 'u32':
      return length === 4
        ? (b[at] as number) * 0x1000000 +
            (((b[at + 1] as number) << 16) | ((b[at + 2] as number) << 8) | (b[at + 3] as number))
        : undefined;
    case 'empty':
      return length === 0 ? true : undefined;
    case 'networkErrorCode':
      return length === 3
        ? { networkType: b[at], errorCode: ((b[at + 1] as number) << 8) | (b[at + 2] as number) }
        : undefined;
    case 'cstring':
      // Exactly one NUL, at the end: otherwise the value would not re-encode to its length.
      return length >= 1 && length <= def.max && b.indexOf(0, at) === at + length - 1
        ? b.toString('latin1', at, at + length - 1)
        : undefined;
    case 'octets':
      return length >= def.min && length <= def.max ? copyOctets(b, at, length) : undefined;
  }
}

/**
 * Reads TLVs from the cursor to the end of the frame. Fewer than 4 octets
 * left, or a length past the end → ESME_RINVOPTPARSTREAM; a known tag whose
 * length does not fit its type → ESME_RINVPARLEN. Unknown tags, and repeats of
 * a tag already read, are kept raw in `unknown` so that nothing is lost.
 */
export function readTlvs(r: PduReader): Tlvs {
  const b = r.bytes;
  const end = r.end;
  let at = r.pos;
  const out: Record<string, unknown> = {};
  let unknown: RawTlv[] | undefined;
  while (at < end) {
    if (end - at < TLV_HEADER_LENGTH) {
      r.fail(CommandStatus.ESME_RINVOPTPARSTREAM, `${end - at} octets after the last TLV: too few for a TLV`);
    }
    const tag = ((b[at] as number) << 8) | (b[at + 1] as number);
    const length = ((b[at + 2] as number) << 8) | (b[at + 3] as number);
    at += TLV_HEADER_LENGTH;
    if (length > end - at) {
      r.fail(
        CommandStatus.ESME_RINVOPTPARSTREAM,
        `TLV ${hexTag(tag)} of ${length} octets runs past the end of the PDU`,
      );
    }
    const entry = entryByTag.get(tag);
    if (entry === undefined || out[entry.key] !== undefined) {
      (unknown ??= []).push({ tag, value: copyOctets(b, at, length) });
    } else {
      const value = decodeValue(r, entry.def, at, length);
      if (value === undefined) {
        r.fail(
          CommandStatus.ESME_RINVPARLEN,
          `TLV ${entry.def.name} (${hexTag(tag)}) has length ${length}, expected ${expectedLength(entry.def)}`,
        );
      }
      out[entry.key] = value;
    }
    at += length;
  }
  r.pos = at;
  if (unknown !== undefined) out['unknown'] = unknown;
  // Each value was built by decodeValue for its key's TlvDefs type, which is what Tlvs declares.
  return out;
}

/** Fails an encode for a bad TLV value. */
function badValue(def: TlvDef, what: string, status: number = CommandStatus.ESME_RINVOPTPARAMVAL): never {
  throw new PduEncodeError(`TLV ${def.name} (${hexTag(def.tag)}): ${what}`, status);
}

/** True when `value` is an integer that fits in `bits` unsigned bits (8, 16 or 32). */
function isUint(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

/** Checks one known TLV value and returns the octets of its value. */
function valueLength(def: TlvDef, value: unknown): number {
  switch (def.type) {
    case 'u8':
      if (!isUint(value, 0xff)) badValue(def, `${String(value)} is not a 1-octet integer`);
      return 1;
    case 'u16':
      if (!isUint(value, 0xffff)) badValue(def, `${String(value)} is not a 2-octet integer`);
      return 2;
    case 'u32':
      if (!isUint(value, 0xffffffff)) badValue(def, `${String(value)} is not a 4-octet integer`);
      return 4;
    case 'empty':
      if (value !== true) badValue(def, 'the value of a zero-length TLV must be true');
      return 0;
    case 'networkErrorCode': {
      const code = value as { networkType?: unknown; errorCode?: unknown } | null;
      if (
        typeof code !== 'object' ||
        code === null ||
        !isUint(code.networkType, 0xff) ||
        !isUint(code.errorCode, 0xffff)
      ) {
        badValue(def, 'expected { networkType: 0..255, errorCode: 0..65535 }');
      }
      return 3;
    }
    case 'cstring':
      if (typeof value !== 'string' || !isCOctetText(value)) {
        badValue(def, 'expected ASCII text without NUL');
      }
      if (value.length + 1 > def.max) {
        badValue(
          def,
          `${value.length} characters exceed the maximum of ${def.max - 1}`,
          CommandStatus.ESME_RINVPARLEN,
        );
      }
      return value.length + 1;
    case 'octets': {
      if (!(value instanceof Uint8Array)) badValue(def, 'expected a Uint8Array');
      const max = Math.min(def.max, MAX_TLV_VALUE_LENGTH);
      if (value.length < def.min || value.length > max) {
        badValue(def, `${value.length} octets, expected ${def.min}..${max}`, CommandStatus.ESME_RINVPARLEN);
      }
      return value.length;
    }
  }
}

/** Checks a raw TLV and returns the octets of its value. */
function rawLength(raw: RawTlv): number {
  const checked: unknown = raw;
  if (typeof checked !== 'object' || checked === null || !isUint(raw.tag, 0xffff)) {
    throw new PduEncodeError('a raw TLV needs a tag of 0..65535', CommandStatus.ESME_RINVOPTPARAMVAL);
  }
  if (!(raw.value instanceof Uint8Array) || raw.value.length > MAX_TLV_VALUE_LENGTH) {
    throw new PduEncodeError(
      `raw TLV ${hexTag(raw.tag)} needs a Uint8Array value of at most ${MAX_TLV_VALUE_LENGTH} octets`,
      CommandStatus.ESME_RINVPARLEN,
    );
  }
  return raw.value.length;
}

/** The definition of a `Tlvs` key, or a PduEncodeError for a key that is not one. */
function defOf(key: string): TlvDef {
  const def = Object.hasOwn(defsByKey, key) ? defsByKey[key] : undefined;
  if (def === undefined) {
    throw new PduEncodeError(
      `unknown TLV key '${key}' (raw TLVs go in 'unknown')`,
      CommandStatus.ESME_RINVOPTPARAMVAL,
    );
  }
  return def;
}

/** Validates `tlvs` and returns the octets they take on the wire. */
export function tlvsSize(tlvs: Tlvs): number {
  const values = tlvs as Readonly<Record<string, unknown>>;
  let size = 0;
  for (const key in values) {
    if (key === 'unknown') continue;
    const value = values[key];
    if (value === undefined) continue;
    size += TLV_HEADER_LENGTH + valueLength(defOf(key), value);
  }
  const unknown = tlvs.unknown;
  if (unknown !== undefined) {
    if (!Array.isArray(unknown)) {
      throw new PduEncodeError("'unknown' TLVs must be an array", CommandStatus.ESME_RINVOPTPARAMVAL);
    }
    for (const raw of unknown) size += TLV_HEADER_LENGTH + rawLength(raw);
  }
  return size;
}

/** Writes a TLV header at `pos` and returns the offset of its value. */
function writeHeader(bytes: Uint8Array, pos: number, tag: number, length: number): number {
  bytes[pos] = tag >>> 8;
  bytes[pos + 1] = tag;
  bytes[pos + 2] = length >>> 8;
  bytes[pos + 3] = length;
  return pos + TLV_HEADER_LENGTH;
}

/** Writes one known TLV (validated by tlvsSize) at `pos`; returns the offset after it. */
function writeKnown(bytes: Uint8Array, pos: number, def: TlvDef, value: unknown): number {
  switch (def.type) {
    case 'u8': {
      const at = writeHeader(bytes, pos, def.tag, 1);
      bytes[at] = value as number;
      return at + 1;
    }
    case 'u16': {
      const at = writeHeader(bytes, pos, def.tag, 2);
      const v = value as number;
      bytes[at] = v >>> 8;
      bytes[at + 1] = v;
      return at + 2;
    }
    case 'u32': {
      const at = writeHeader(bytes, pos, def.tag, 4);
      const v = value as number;
      bytes[at] = v >>> 24;
      bytes[at + 1] = v >>> 16;
      bytes[at + 2] = v >>> 8;
      bytes[at + 3] = v;
      return at + 4;
    }
    case 'empty':
      return writeHeader(bytes, pos, def.tag, 0);
    case 'networkErrorCode': {
      const at = writeHeader(bytes, pos, def.tag, 3);
      const code = value as { networkType: number; errorCode: number };
      bytes[at] = code.networkType;
      bytes[at + 1] = code.errorCode >>> 8;
      bytes[at + 2] = code.errorCode;
      return at + 3;
    }
    case 'cstring': {
      const text = value as string;
      const at = writeAscii(bytes, writeHeader(bytes, pos, def.tag, text.length + 1), text);
      bytes[at] = 0;
      return at + 1;
    }
    case 'octets': {
      const octets = value as Uint8Array;
      const at = writeHeader(bytes, pos, def.tag, octets.length);
      bytes.set(octets, at);
      return at + octets.length;
    }
  }
}

/** Writes `tlvs` (validated by tlvsSize) at `pos`; returns the offset after them. */
export function writeTlvs(bytes: Uint8Array, pos: number, tlvs: Tlvs): number {
  const values = tlvs as Readonly<Record<string, unknown>>;
  let at = pos;
  for (const key in values) {
    if (key === 'unknown') continue;
    const value = values[key];
    if (value === undefined) continue;
    at = writeKnown(bytes, at, defOf(key), value);
  }
  const unknown = tlvs.unknown;
  if (unknown !== undefined) {
    for (const raw of unknown) {
      at = writeHeader(bytes, at, raw.tag, raw.value.length);
      bytes.set(raw.value, at);
      at += raw.value.length;
    }
  }
  return at;
}

/** True when `tlvs` holds no parameter at all (an empty `unknown` counts as none). */
export function hasNoTlvs(tlvs: Tlvs): boolean {
  const values = tlvs as Readonly<Record<string, unknown>>;
  for (const key in values) {
    const value = values[key];
    if (value === undefined) continue;
    if (key === 'unknown' && Array.isArray(value) && value.length === 0) continue;
    return false;
  }
  return true;
}
