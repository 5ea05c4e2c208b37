import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAccount } from './account.ts';
import {
  ACCOUNT_SCHEMA_VERSION,
  accountKey,
  decodeAccount,
  encodeAccount,
  migrateAccountRecord,
  systemIdOfKey,
  type AccountMigration,
} from './account-codec.ts';
import { accountInput } from './account.test-support.ts';
import { AccountDecodeError } from './errors.ts';

const KV_KEY = /^[-/_=.a-zA-Z0-9]+$/;

describe('accountKey', () => {
  it('keeps plain system_ids and escapes the rest', () => {
    expect(accountKey('acme')).toBe('acme');
    expect(accountKey('acme_EU-2')).toBe('acme_EU-2');
    expect(accountKey('acme.eu')).toBe('acme=2Eeu');
    expect(accountKey('a=b')).toBe('a=3Db');
    expect(accountKey('*>')).toBe('=2A=3E');
  });

  it('property: every valid system_id has a KV-safe, dot-free key that decodes back', () => {
    const systemId = fc.string({
      minLength: 1,
      maxLength: 15,
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
    });
    fc.assert(
      fc.property(systemId, (id) => {
        const key = accountKey(id);
        expect(key).toMatch(KV_KEY);
        expect(key).not.toContain('.');
        expect(systemIdOfKey(key)).toBe(id);
      }),
      { seed: 1, numRuns: 1000 },
    );
  });

  it('refuses keys that no system_id encodes to', () => {
    for (const key of ['a.b', '=2e', '=41', 'a=', '']) {
      expect(() => systemIdOfKey(key)).toThrow(AccountDecodeError);
    }
  });
});

describe('encodeAccount / decodeAccount', () => {
  const account = parseAccount(
    accountInput('acme.eu', {
      approvedPriorities: [1, 2],
      priorityRules: [{ match: { destinationPrefix: '45' }, priority: 1 }],
      routes: [
        { destinationPrefix: '45', connector: 'dk' },
        { destinationPrefix: '46', connectors: ['se', 'eu'] },
      ],
    }),
  );

  it('writes a one-connector route in the older form (readable by the previous release), a list as connectors', () => {
    const stored = JSON.parse(encodeAccount(account)) as { routes: unknown };
    expect(stored.routes).toEqual([
      { destinationPrefix: '45', connector: 'dk' },
      { destinationPrefix: '46', connectors: ['se', 'eu'] },
    ]);
  });

  it('writes maxValiditySeconds only when it is not the default 48 h, and reads it back', () => {
    expect(account.maxValiditySeconds).toBe(48 * 3600);
    expect(JSON.parse(encodeAccount(account))).not.toHaveProperty('maxValiditySeconds');
    const short = parseAccount(accountInput('acme', { maxValiditySeconds: 600 }));
    const stored = encodeAccount(short);
    expect(JSON.parse(stored)).toMatchObject({ maxValiditySeconds: 600 });
    expect(decodeAccount('acme', stored).maxValiditySeconds).toBe(600);
  });

  it('writes JSON with schemaVersion first and reads it back equal (and frozen)', () => {
    const stored = encodeAccount(account);
    expect(stored.startsWith(`{"schemaVersion":${ACCOUNT_SCHEMA_VERSION},"systemId":"acme.eu"`)).toBe(true);
    const decoded = decodeAccount('acme=2Eeu', new TextEncoder().encode(stored));
    expect(decoded).toEqual(account);
    expect(Object.isFrozen(decoded.routes)).toBe(true);
    expect(decodeAccount('acme=2Eeu', stored)).toEqual(account);
  });

  const record = (over: Record<string, unknown>): string =>
    JSON.stringify({ ...(JSON.parse(encodeAccount(account)) as object), ...over });

  it.each([
    ['not JSON', '{"schemaVersion":1,'],
    ['not UTF-8', new Uint8Array([0x7b, 0xff, 0x7d])],
    ['not an object', '[1]'],
    ['null', 'null'],
    ['without schemaVersion', record({ schemaVersion: undefined })],
    ['with a string schemaVersion', record({ schemaVersion: '1' })],
    ['with schemaVersion 0', record({ schemaVersion: 0 })],
    ['from a newer smsgw', record({ schemaVersion: ACCOUNT_SCHEMA_VERSION + 1 })],
    ['invalid', record({ maxBinds: 0 })],
    ['with an unknown field', record({ colour: 'blue' })],
    ['stored under another key', record({ systemId: 'other' })],
  ])('refuses a record %s', (_name, data) => {
    const error = (() => {
      try {
        decodeAccount('acme=2Eeu', data);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(AccountDecodeError);
    expect((error as AccountDecodeError).key).toBe('acme=2Eeu');
  });

  it('explains a newer record', () => {
    expect(() => decodeAccount('acme=2Eeu', record({ schemaVersion: 99 }))).toThrow(/newer smsgw/);
  });
});

describe('migrateAccountRecord', () => {
  const renameLimit: AccountMigration = ({ maxSessions, ...rest }) => ({ ...rest, maxBinds: maxSessions });
  const addTls: AccountMigration = (r) => ({ ...r, tlsRequired: r['tlsRequired'] ?? true });

  it('applies each migration from the stored version up to the target, in order', () => {
    const v1 = { systemId: 'a', maxSessions: 3 };
    expect(migrateAccountRecord(v1, 1, 'a', [renameLimit, addTls], 3)).toEqual({
      systemId: 'a',
      maxBinds: 3,
      tlsRequired: true,
    });
    expect(migrateAccountRecord({ systemId: 'a' }, 2, 'a', [renameLimit, addTls], 3)).toEqual({
      systemId: 'a',
      tlsRequired: true,
    });
    expect(migrateAccountRecord(v1, 3, 'a', [renameLimit, addTls], 3)).toBe(v1);
  });

  it('refuses a version with no migration, a newer one, and nonsense', () => {
    expect(() => migrateAccountRecord({}, 1, 'a', [renameLimit], 3)).toThrow(
      /no migration from schemaVersion 2/,
    );
    expect(() => migrateAccountRecord({}, 4, 'a', [renameLimit, addTls], 3)).toThrow(AccountDecodeError);
    expect(() => migrateAccountRecord({}, 1.5, 'a')).toThrow(AccountDecodeError);
    expect(() => migrateAccountRecord({}, -1, 'a')).toThrow(AccountDecodeError);
  });

  it('version 1 is current and needs no migration', () => {
    expect(ACCOUNT_SCHEMA_VERSION).toBe(1);
    const r = { systemId: 'a' };
    expect(migrateAccountRecord(r, 1, 'a')).toBe(r);
  });
});
