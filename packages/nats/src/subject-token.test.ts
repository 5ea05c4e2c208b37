import { describe, expect, it } from 'vitest';
import { TopologyError } from './errors.ts';
import { decodeSubjectToken, encodeSubjectToken } from './subject-token.ts';

/**
 * Property tests with a seeded generator (mulberry32): deterministic, and
 * biased towards the characters that matter (wildcards, separators, '=',
 * controls, non-ASCII, astral code points).
 * TODO(lead): fast-check is not a dependency of @smsgw/nats yet; with it these become fc.property(fc.string(...)).
 */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING = [
  '.',
  '*',
  '>',
  ' ',
  '\t',
  '\r',
  '\n',
  '\0',
  '=',
  '-',
  '_',
  '/',
  '\\',
  '$',
  '%',
  '~',
  '\u007f',
];

function randomName(next: () => number): string {
  const length = 1 + Math.floor(next() * 20);
  let s = '';
  for (let i = 0; i < length; i++) {
    const kind = next();
    if (kind < 0.35) s += String.fromCharCode(0x61 + Math.floor(next() * 26));
    else if (kind < 0.55) s += INTERESTING[Math.floor(next() * INTERESTING.length)] ?? '';
    else if (kind < 0.7) s += String.fromCharCode(Math.floor(next() * 0x80));
    else if (kind < 0.8) s += String.fromCharCode(0x80 + Math.floor(next() * 0x780));
    else if (kind < 0.9) s += String.fromCharCode(0x800 + Math.floor(next() * (0xd800 - 0x800)));
    else s += String.fromCodePoint(0x10000 + Math.floor(next() * 0xfffff));
  }
  return s;
}

describe('encodeSubjectToken', () => {
  it('leaves plain names alone', () => {
    for (const name of ['acme', 'ACME_prod-1', '0', 'a-b_c']) expect(encodeSubjectToken(name)).toBe(name);
  });

  it.each([
    ['acme.eu', 'acme=2Eeu'],
    ['a b', 'a=20b'],
    ['*', '=2A'],
    ['>', '=3E'],
    ['=', '=3D'],
    ['a=3D', 'a=3D3D'],
    ['\0', '=00'],
    ['müller', 'm=C3=BCller'],
    ['Ж', '=D0=96'],
    ['😀', '=F0=9F=98=80'],
  ])('escapes %j as %s', (name, token) => {
    expect(encodeSubjectToken(name)).toBe(token);
    expect(decodeSubjectToken(token)).toBe(name);
  });

  it('refuses names that have no token', () => {
    expect(() => encodeSubjectToken('')).toThrow(TopologyError);
    expect(() => encodeSubjectToken('a\uD800b')).toThrow(TopologyError);
    expect(() => encodeSubjectToken('\uDC00')).toThrow(TopologyError);
  });

  it('round-trips every single character of Latin-1', () => {
    for (let c = 0; c < 256; c++) {
      const name = String.fromCharCode(c);
      expect(decodeSubjectToken(encodeSubjectToken(name))).toBe(name);
    }
  });

  it('property: any well-formed name round-trips through one safe token', () => {
    const next = random(0x5eed);
    for (let run = 0; run < 5_000; run++) {
      const name = randomName(next);
      const token = encodeSubjectToken(name);
      // One token of a subject, a valid durable consumer name and KV key token.
      expect(token).toMatch(/^[A-Za-z0-9_=-]+$/);
      expect(decodeSubjectToken(token)).toBe(name);
    }
  });

  it('property: distinct names get distinct tokens', () => {
    const next = random(42);
    const seen = new Map<string, string>();
    for (let run = 0; run < 5_000; run++) {
      const name = randomName(next);
      const token = encodeSubjectToken(name);
      const earlier = seen.get(token);
      if (earlier !== undefined) expect(earlier).toBe(name);
      seen.set(token, name);
    }
  });
});

describe('decodeSubjectToken', () => {
  it.each([
    ['', 'empty'],
    ['a.b', 'separator'],
    ['a b', 'space'],
    ['*', 'wildcard'],
    ['=4', 'truncated escape'],
    ['=2e', 'lower-case hex'],
    ['=G0', 'not hex'],
    ['=41', 'escaped safe character'],
    ['=FF', 'not UTF-8'],
    ['=C0=AE', 'overlong UTF-8'],
    ['=ED=A0=80', 'UTF-8 of a surrogate'],
  ])('rejects %j (%s)', (token) => {
    expect(() => decodeSubjectToken(token)).toThrow(TopologyError);
  });

  it('property: every token it accepts is the one encoding would produce (canonical)', () => {
    const next = random(7);
    const alphabet = 'aZ09_-=ABCDEF89';
    let accepted = 0;
    for (let run = 0; run < 20_000; run++) {
      let token = '';
      const length = 1 + Math.floor(next() * 12);
      for (let i = 0; i < length; i++) token += alphabet[Math.floor(next() * alphabet.length)] ?? '';
      let name: string;
      try {
        name = decodeSubjectToken(token);
      } catch (err) {
        expect(err).toBeInstanceOf(TopologyError);
        continue;
      }
      accepted++;
      expect(encodeSubjectToken(name)).toBe(token);
    }
    expect(accepted).toBeGreaterThan(1_000);
  });
});
