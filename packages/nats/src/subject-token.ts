import { TopologyError } from './errors.ts';

/**
 * Names (SMPP system_ids, connector names) inside one NATS subject token.
 *
 * A system_id is a C-Octet String of up to 16 octets and may hold '.', '*',
 * '>', spaces or any other byte; in a subject those would split the token or
 * act as wildcards. So every name is written with a reversible escaping in the
 * spirit of quoted-printable:
 *
 * - `A-Z a-z 0-9 _ -` stand for themselves;
 * - every other character is UTF-8 encoded and each byte written as `=XX`
 *   (two upper-case hex digits), including '=' itself (`=3D`).
 *
 * So `acme.eu` becomes `acme=2Eeu` and `müller` becomes `m=C3=BCller`. The
 * result is also a valid durable consumer name and KV key token, and it is
 * canonical: each name has exactly one token (decoding rejects anything
 * encoding would not produce), so token equality is name equality.
 * The empty string and strings with lone surrogates have no token.
 */
export const SUBJECT_TOKEN_ESCAPE = '=';

const SAFE_TOKEN = /^[A-Za-z0-9_-]+$/;
const HEX = '0123456789ABCDEF';
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isSafeByte(b: number): boolean {
  return (
    (b >= 0x30 && b <= 0x39) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    b === 0x5f ||
    b === 0x2d
  );
}

/** What each byte becomes in a token: itself when safe, else `=XX`. */
const BYTE_TEXT: readonly string[] = Array.from({ length: 256 }, (_, b) =>
  isSafeByte(b) ? String.fromCharCode(b) : `=${HEX[b >> 4] ?? ''}${HEX[b & 15] ?? ''}`,
);

/** Hex digit value of a char code (upper case only, so that tokens stay canonical); -1 otherwise. */
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** Encodes a name as one subject token (see SUBJECT_TOKEN_ESCAPE); throws TopologyError for '' or ill-formed UTF-16. */
export function encodeSubjectToken(name: string): string {
  // Most names are plain: one regex test, no allocation.
  if (SAFE_TOKEN.test(name)) return name;
  if (name === '') throw new TopologyError('a name in a subject cannot be empty');
  if (!name.isWellFormed()) throw new TopologyError(`name ${JSON.stringify(name)} has a lone surrogate`);
  let token = '';
  for (const b of utf8.encode(name)) token += BYTE_TEXT[b] ?? '';
  return token;
}

/** Decodes a token made by encodeSubjectToken back to the name; throws TopologyError for anything else. */
export function decodeSubjectToken(token: string): string {
  if (SAFE_TOKEN.test(token)) return token;
  const invalid = (why: string): TopologyError =>
    new TopologyError(`${JSON.stringify(token)} is not a subject token: ${why}`);
  if (token === '') throw invalid('empty');
  const bytes = new Uint8Array(token.length);
  let n = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c === 0x3d) {
      const hi = hexValue(token.charCodeAt(i + 1));
      const lo = hexValue(token.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) throw invalid(`'=' at ${i} is not followed by two upper-case hex digits`);
      const b = (hi << 4) | lo;
      if (isSafeByte(b))
        throw invalid(`=${token.slice(i + 1, i + 3)} escapes a character that stands for itself`);
      bytes[n++] = b;
      i += 2;
    } else if (isSafeByte(c)) {
      bytes[n++] = c;
    } else {
      throw invalid(`character ${JSON.stringify(token[i])} at ${i} must be escaped`);
    }
  }
  try {
    return strictUtf8.decode(bytes.subarray(0, n));
  } catch (err) {
    throw new TopologyError(`${JSON.stringify(token)} is not a subject token: escapes are not UTF-8`, {
      cause: err,
    });
  }
}
