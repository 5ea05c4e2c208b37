import * as crypto from 'node:crypto';
import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidPasswordError, InvalidPasswordHashError } from './errors.ts';
import {
  DEFAULT_SCRYPT_PARAMS,
  SCRYPT_LIMITS,
  hashPassword,
  isPasswordHash,
  needsRehash,
  verifyPassword,
  type ScryptParams,
} from './password.ts';

// Wrap timingSafeEqual in a spy (the real one still answers) to prove that verifyPassword compares through it.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

/** The cheapest parameters the limits allow: keeps the suite fast. */
const FAST: ScryptParams = { cost: SCRYPT_LIMITS.minCost, blockSize: 8, parallelization: 1 };

/** Replaces field `index` (0 = "scrypt") of a stored hash. */
function withField(stored: string, index: number, value: string): string {
  const parts = stored.split('$');
  parts[index] = value;
  return parts.join('$');
}

/** Flips one bit of the base64 field `index`, keeping it canonical base64 of the same length. */
function flipBit(stored: string, index: number): string {
  const bytes = Buffer.from(stored.split('$')[index]!, 'base64');
  bytes[0]! ^= 0x01;
  return withField(stored, index, bytes.toString('base64'));
}

describe('hashPassword', () => {
  it('writes scrypt$N$r$p$salt$key with the default parameters, a 16-byte salt and a 32-byte key', async () => {
    const stored = await hashPassword('s3cr3t');
    const [scheme, n, r, p, salt, key] = stored.split('$');
    expect([scheme, Number(n), Number(r), Number(p)]).toEqual(['scrypt', 2 ** 15, 8, 1]);
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64')).toHaveLength(32);
    expect(stored).not.toContain('s3cr3t');
    expect(await verifyPassword('s3cr3t', stored)).toBe(true);
    expect(needsRehash(stored)).toBe(false);
  });

  it('salts: the same password never gives the same hash', async () => {
    const a = await hashPassword('secret', FAST);
    const b = await hashPassword('secret', FAST);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
  });

  it.each([
    ['empty', ''],
    ['longer than 8 characters (a bind cannot carry it)', 'ninechars'],
    ['not ASCII', 'pässwd'],
    ['a control character', 'pass\n'],
  ])('rejects a password that is %s, without echoing it', async (_why, password) => {
    const error = await hashPassword(password, FAST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidPasswordError);
    if (password !== '') expect((error as Error).message).not.toContain(password);
  });

  it('accepts 1 to 8 printable ASCII characters, space included', async () => {
    for (const password of ['x', '12345678', 'a b~!{}"']) {
      expect(await verifyPassword(password, await hashPassword(password, FAST))).toBe(true);
    }
  });

  it.each([
    { cost: 1000, blockSize: 8, parallelization: 1 },
    { cost: 2 ** 9, blockSize: 8, parallelization: 1 },
    { cost: 2 ** 21, blockSize: 1, parallelization: 1 },
    { cost: 2 ** 20, blockSize: 8, parallelization: 1 },
    { cost: 2 ** 10, blockSize: 0, parallelization: 1 },
    { cost: 2 ** 10, blockSize: 8, parallelization: 17 },
  ])('refuses parameters outside SCRYPT_LIMITS: %o', async (params) => {
    await expect(hashPassword('secret', params)).rejects.toThrow(InvalidPasswordHashError);
  });
});

describe('verifyPassword', () => {
  const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);
  beforeEach(() => {
    timingSafeEqual.mockClear();
  });

  it('accepts the right password and refuses a wrong one, comparing through crypto.timingSafeEqual', async () => {
    const stored = await hashPassword('secret', FAST);
    expect(await verifyPassword('secret', stored)).toBe(true);
    expect(await verifyPassword('Secret', stored)).toBe(false);
    expect(await verifyPassword('secret ', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
    expect(timingSafeEqual).toHaveBeenCalledTimes(4);
    for (const [a, b] of timingSafeEqual.mock.calls) {
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
  });

  it('verifies hashes made with other parameters (they are read from the stored string)', async () => {
    const params = { cost: 2 ** 11, blockSize: 4, parallelization: 2 };
    const stored = await hashPassword('abc', params);
    expect(stored.startsWith('scrypt$2048$4$2$')).toBe(true);
    expect(await verifyPassword('abc', stored)).toBe(true);
    expect(await verifyPassword('abd', stored)).toBe(false);
  });

  it('verifies a hash with a longer salt and key than new hashes use', async () => {
    const salt = Buffer.alloc(24, 7);
    const key = crypto.scryptSync('abc', salt, 48, { N: 1024, r: 8, p: 1 });
    const stored = `scrypt$1024$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
    expect(await verifyPassword('abc', stored)).toBe(true);
    expect(needsRehash(stored, FAST)).toBe(false);
  });

  it('refuses the right password against a tampered hash: altered key, salt or parameters', async () => {
    const stored = await hashPassword('secret', FAST);
    const tampered = [
      flipBit(stored, 5),
      flipBit(stored, 4),
      withField(stored, 1, String(2 * FAST.cost)),
      withField(stored, 2, '7'),
      withField(stored, 3, '2'),
    ];
    for (const t of tampered) {
      expect(isPasswordHash(t)).toBe(true);
      expect(await verifyPassword('secret', t)).toBe(false);
    }
  });

  it('throws InvalidPasswordHashError for a string that is not a valid hash, naming neither password nor hash', async () => {
    const stored = await hashPassword('secret', FAST);
    const salt = stored.split('$')[4]!;
    const broken = [
      '',
      'secret',
      stored.replace('scrypt$', 'bcrypt$'),
      `${stored}$`,
      stored.slice(0, stored.lastIndexOf('$')),
      withField(stored, 1, '1536'), // not a power of two
      withField(stored, 1, String(2 ** 22)), // a bind would cost 4 GiB: refused before scrypt runs
      withField(stored, 1, '512'), // below the minimum
      withField(stored, 2, '0'),
      withField(stored, 2, '64'), // 128 · 1024 · 64 = 8 MiB is fine, but r is capped at 32
      withField(stored, 3, '0'),
      withField(stored, 4, salt.replace(/=+$/, '')), // unpadded: not canonical
      withField(stored, 4, Buffer.alloc(8).toString('base64')), // salt too short
      withField(stored, 5, `${stored.split('$')[5]!.slice(0, -2)}@=`),
      withField(stored, 5, Buffer.alloc(65).toString('base64')), // key too long
    ];
    for (const b of broken) {
      expect(isPasswordHash(b)).toBe(false);
      const error = await verifyPassword('secret', b).catch((e: unknown) => e);
      expect(error, b).toBeInstanceOf(InvalidPasswordHashError);
      expect((error as Error).message).not.toContain('secret');
      expect((error as Error).message).not.toContain(salt);
    }
  });

  it('property: a password verifies against its own hash and no other password does', async () => {
    const password = fc.string({
      minLength: 1,
      maxLength: 8,
      unit: fc.constantFrom(' ', '!', '~', 'a', 'Z', '0', '9', '$', '='),
    });
    await fc.assert(
      fc.asyncProperty(password, password, async (p, q) => {
        const stored = await hashPassword(p, FAST);
        expect(await verifyPassword(p, stored)).toBe(true);
        expect(await verifyPassword(q, stored)).toBe(p === q);
      }),
      { numRuns: 8, seed: 8 },
    );
  });
});

describe('needsRehash', () => {
  it('flags a hash with any parameter below the target', async () => {
    const weak = await hashPassword('secret', FAST);
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(weak, FAST)).toBe(false);
    expect(needsRehash(weak, { ...FAST, parallelization: 2 })).toBe(true);
    expect(needsRehash(weak, { ...FAST, blockSize: 16 })).toBe(true);
    expect(DEFAULT_SCRYPT_PARAMS.cost).toBeGreaterThan(FAST.cost);
  });

  it('throws for a string that is not a hash', () => {
    expect(() => needsRehash('nope')).toThrow(InvalidPasswordHashError);
  });
});
