/**
 * Password hashes for SMPP binds: scrypt (RFC 7914) through node:crypto, which
 * runs it on the libuv thread pool, so verifying never blocks the event loop.
 *
 * An SMPP password is a C-Octet String of at most 9 octets (SMPP 3.4 §4.1.1),
 * so at most 8 characters, and it crosses the wire in clear unless the bind is
 * over TLS. The hash cannot make such a short secret strong; what it does is
 * keep it unreadable at rest: a copy of the accounts bucket (a backup, `nats kv
 * get`, a history entry) does not reveal any customer's password, and guessing
 * one costs a full scrypt evaluation (32 MiB, tens of milliseconds) per try.
 *
 * Stored format, one string with every parameter in it so that costs can be
 * raised later without invalidating existing hashes (see needsRehash):
 *
 * ```
 * scrypt$<cost N>$<blockSize r>$<parallelization p>$<salt, base64>$<derived key, base64>
 * scrypt$32768$8$1$q3xs0Y6S2mJ3a1a7v9hQAg==$2Fh…=
 * ```
 *
 * Nothing here logs, returns or puts into an error message a plaintext
 * password (or a hash).
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { InvalidPasswordError, InvalidPasswordHashError } from './errors.ts';

/** scrypt cost parameters (RFC 7914 §2), named as node:crypto names them. */
export interface ScryptParams {
  /** N: CPU/memory cost, a power of two. Memory is 128 · N · r bytes. */
  readonly cost: number;
  /** r: block size. */
  readonly blockSize: number;
  /** p: parallelization (node:crypto runs the p lanes one after another, so it multiplies time, not memory). */
  readonly parallelization: number;
}

/**
 * The parameters of new hashes: N = 2^15, r = 8, p = 1, i.e. 32 MiB and
 * roughly 50–100 ms on a current server core (several times that on a small
 * CI machine). Chosen for the bind path: after a pod restart every client of
 * the pod binds again at once, and each bind verifies one hash on the
 * four-thread libuv pool. Raise them here when hardware allows; stored hashes
 * keep their own parameters and needsRehash() tells which ones to renew.
 */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { cost: 2 ** 15, blockSize: 8, parallelization: 1 };

/** Bounds a stored hash's parameters must lie within, so that a tampered record cannot make a bind cost gigabytes or minutes. */
export const SCRYPT_LIMITS = {
  minCost: 2 ** 10,
  maxCost: 2 ** 20,
  maxBlockSize: 32,
  maxParallelization: 16,
  /** Largest 128 · N · r accepted: 256 MiB. */
  maxMemoryBytes: 256 * 1024 * 1024,
} as const;

/** Longest SMPP password: the bind's password field is a C-Octet String of at most 9 octets, NUL included. */
export const MAX_PASSWORD_LENGTH = 8;

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Salt and key lengths accepted from a stored hash (new hashes use 16 and 32). */
const MIN_STORED_BYTES = 16;
const MAX_STORED_BYTES = 64;

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const FORMAT = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

/** A stored hash, parsed. */
interface ParsedHash {
  readonly params: ScryptParams;
  readonly salt: Buffer;
  readonly key: Buffer;
}

/** Why a params object is out of SCRYPT_LIMITS, or undefined when it is within. */
function paramsProblem({ cost, blockSize, parallelization }: ScryptParams): string | undefined {
  if (!Number.isSafeInteger(cost) || cost < SCRYPT_LIMITS.minCost || cost > SCRYPT_LIMITS.maxCost) {
    return `cost must be in ${SCRYPT_LIMITS.minCost}..${SCRYPT_LIMITS.maxCost}`;
  }
  if ((cost & (cost - 1)) !== 0) return 'cost must be a power of two';
  if (!Number.isSafeInteger(blockSize) || blockSize < 1 || blockSize > SCRYPT_LIMITS.maxBlockSize) {
    return `blockSize must be in 1..${SCRYPT_LIMITS.maxBlockSize}`;
  }
  if (
    !Number.isSafeInteger(parallelization) ||
    parallelization < 1 ||
    parallelization > SCRYPT_LIMITS.maxParallelization
  ) {
    return `parallelization must be in 1..${SCRYPT_LIMITS.maxParallelization}`;
  }
  if (128 * cost * blockSize > SCRYPT_LIMITS.maxMemoryBytes) {
    return `128 · cost · blockSize must not exceed ${SCRYPT_LIMITS.maxMemoryBytes} bytes`;
  }
  return undefined;
}

/** Decodes canonical base64 only (Buffer.from is lenient), so that each hash has exactly one spelling. */
function strictBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** Parses a stored hash; the error says which part is wrong, never what it contains. */
function parseHash(stored: string): ParsedHash | InvalidPasswordHashError {
  const m = FORMAT.exec(stored);
  if (m === null)
    return new InvalidPasswordHashError('password hash is not in the scrypt$N$r$p$salt$key format');
  const [, n, r, p, saltText = '', keyText = ''] = m;
  const params: ScryptParams = { cost: Number(n), blockSize: Number(r), parallelization: Number(p) };
  const problem = paramsProblem(params);
  if (problem !== undefined) return new InvalidPasswordHashError(`password hash parameters: ${problem}`);
  const salt = strictBase64(saltText);
  const key = strictBase64(keyText);
  const sizeOk = (b: Buffer | undefined): b is Buffer =>
    b !== undefined && b.length >= MIN_STORED_BYTES && b.length <= MAX_STORED_BYTES;
  if (!sizeOk(salt) || !sizeOk(key)) {
    return new InvalidPasswordHashError(
      `password hash salt and key must be canonical base64 of ${MIN_STORED_BYTES}..${MAX_STORED_BYTES} bytes`,
    );
  }
  return { params, salt, key };
}

/** scrypt as a promise, with maxmem sized to the parameters (node's default of 32 MiB would refuse larger costs). */
function derive(password: string, salt: Buffer, keyLength: number, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = {
    cost: params.cost,
    blockSize: params.blockSize,
    parallelization: params.parallelization,
    // V (128·N·r) plus B (128·r·p) plus slack; paramsProblem() has bounded all three.
    maxmem: 128 * params.blockSize * (params.cost + params.parallelization) + 1024 * 1024,
  };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (err, key) => {
      if (err === null) resolve(key);
      else reject(err);
    });
  });
}

/** Whether a string is a well-formed stored hash with parameters within SCRYPT_LIMITS. */
export function isPasswordHash(stored: string): boolean {
  return !(parseHash(stored) instanceof InvalidPasswordHashError);
}

/**
 * Hashes an SMPP password for storage with a fresh random 16-byte salt.
 * Throws InvalidPasswordError unless it is 1–8 printable ASCII characters
 * (a longer one could never be sent in a bind), and InvalidPasswordHashError
 * for parameters outside SCRYPT_LIMITS.
 */
export async function hashPassword(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<string> {
  if (password.length === 0 || password.length > MAX_PASSWORD_LENGTH) {
    throw new InvalidPasswordError(`an SMPP password has 1..${MAX_PASSWORD_LENGTH} characters`);
  }
  if (!PRINTABLE_ASCII.test(password)) {
    throw new InvalidPasswordError('an SMPP password is printable ASCII (0x20..0x7E)');
  }
  const problem = paramsProblem(params);
  if (problem !== undefined) throw new InvalidPasswordHashError(`scrypt parameters: ${problem}`);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, params);
  const { cost, blockSize, parallelization } = params;
  return `scrypt$${cost}$${blockSize}$${parallelization}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * Whether a password (as received in a bind) matches a stored hash. Derives the
 * key with the stored parameters and salt and compares it with
 * crypto.timingSafeEqual (both buffers have the stored key's length), so the
 * time taken does not depend on how much of it matched. Resolves false for a
 * mismatch, including a hash whose salt, key or parameters were altered; throws
 * InvalidPasswordHashError when `stored` is not a hash at all (a broken
 * record, which must be fixed, not read as "wrong password").
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (parsed instanceof InvalidPasswordHashError) throw parsed;
  const derived = await derive(password, parsed.salt, parsed.key.length, parsed.params);
  return timingSafeEqual(derived, parsed.key);
}

/**
 * Whether a stored hash is weaker than `params` (any lower parameter, or a
 * shorter salt or key), i.e. should be replaced by hashPassword() the next time
 * the plaintext is at hand (after a successful bind, or a password change).
 * Throws InvalidPasswordHashError when `stored` is not a hash.
 */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): boolean {
  const parsed = parseHash(stored);
  if (parsed instanceof InvalidPasswordHashError) throw parsed;
  const p = parsed.params;
  return (
    p.cost < params.cost ||
    p.blockSize < params.blockSize ||
    p.parallelization < params.parallelization ||
    parsed.salt.length < SALT_BYTES ||
    parsed.key.length < KEY_BYTES
  );
}
