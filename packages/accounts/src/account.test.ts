import { describe, expect, it } from 'vitest';
import {
  BIND_TYPES,
  DEFAULT_MESSAGE_CLASS,
  parseAccount,
  type Account,
  type AccountInput,
} from './account.ts';
import { accountInput, TEST_PASSWORD_HASH } from './account.test-support.ts';
import { InvalidAccountError } from './errors.ts';
import { verifyPassword } from './password.ts';

/** The InvalidAccountError that parsing `input` throws. */
function rejection(input: unknown): InvalidAccountError {
  try {
    parseAccount(input);
  } catch (err) {
    if (err instanceof InvalidAccountError) return err;
    throw err;
  }
  throw new Error('parseAccount accepted the input');
}

/** Paths of the issues of a rejected input, dotted. */
function issuePaths(input: unknown): string[] {
  return rejection(input).issues.map((i) => i.path.map(String).join('.'));
}

describe('parseAccount defaults', () => {
  it('fills in every default from systemId and passwordHash alone', () => {
    const before = new Date().toISOString();
    const account = parseAccount(accountInput('acme'));
    expect(account).toEqual({
      systemId: 'acme',
      passwordHash: TEST_PASSWORD_HASH,
      enabled: true,
      bindTypes: ['transmitter', 'receiver', 'transceiver'],
      maxBinds: 10,
      maxSubmitsPerSecond: 100,
      maxValiditySeconds: 172_800,
      allowedCidrs: ['0.0.0.0/0', '::/0'],
      tlsRequired: false,
      approvedPriorities: [0],
      messageClasses: [DEFAULT_MESSAGE_CLASS],
      priorityRules: [],
      routes: [],
      createdAt: expect.any(String) as string,
      updatedAt: expect.any(String) as string,
    } satisfies Account);
    expect(account.createdAt >= before).toBe(true);
    expect(account.messageClasses).toEqual(['standard']);
  });

  it('keeps what is given', () => {
    const input: AccountInput = accountInput('acme.eu', {
      enabled: false,
      bindTypes: ['receiver'],
      maxBinds: 2,
      maxSubmitsPerSecond: 5000,
      maxValiditySeconds: 3_600,
      allowedCidrs: ['192.0.2.0/24', '2001:db8::1'],
      tlsRequired: true,
      approvedPriorities: [1, 2],
      messageClasses: ['standard', 'premium'],
      priorityRules: [
        { match: { messageClass: 'standard', destinationPrefix: '45' }, priority: 0 },
        { match: {}, priority: 1 },
      ],
      routes: [
        { destinationPrefix: '45', connectors: ['upstream-dk', 'upstream-eu'] },
        { destinationPrefix: '', connectors: ['sim'] },
      ],
      createdAt: '2024-01-02T03:04:05.000Z',
      updatedAt: '2024-02-03T04:05:06Z',
    });
    expect(parseAccount(input)).toEqual(input);
  });

  it('reads the older single-connector route as a list of one', () => {
    const account = parseAccount(
      accountInput('a', { routes: [{ destinationPrefix: '45', connector: 'dk' }] }),
    );
    expect(account.routes).toEqual([{ destinationPrefix: '45', connectors: ['dk'] }]);
    expect(Object.isFrozen(account.routes[0]?.connectors)).toBe(true);
  });

  it('returns a deeply frozen record, and no two accounts share a default array', () => {
    const a = parseAccount(
      accountInput('a', { priorityRules: [{ match: { destinationPrefix: '1' }, priority: 0 }] }),
    );
    const b = parseAccount(accountInput('b'));
    for (const value of [a, a.bindTypes, a.allowedCidrs, a.approvedPriorities, a.messageClasses, a.routes]) {
      expect(Object.isFrozen(value)).toBe(true);
    }
    expect(Object.isFrozen(a.priorityRules[0])).toBe(true);
    expect(Object.isFrozen(a.priorityRules[0]?.match)).toBe(true);
    expect(a.bindTypes).not.toBe(b.bindTypes);
    expect(BIND_TYPES).toEqual(['transmitter', 'receiver', 'transceiver']);
  });

  it('accepts every visible ASCII character in a system_id, up to 15', () => {
    for (const id of ['a', '123456789012345', '!"#$%&\'()*+,-./', ':;<=>?@[\\]^_`', '{|}~']) {
      expect(parseAccount(accountInput(id)).systemId).toBe(id);
    }
  });

  it('accepts an empty approved list (everything then goes at 0)', () => {
    expect(parseAccount(accountInput('a', { approvedPriorities: [] })).approvedPriorities).toEqual([]);
  });
});

describe('parseAccount rejections', () => {
  it.each([
    ['empty system_id', { systemId: '' }, 'systemId'],
    ['16-character system_id', { systemId: '1234567890123456' }, 'systemId'],
    ['system_id with a space', { systemId: 'ac me' }, 'systemId'],
    ['system_id with a non-ASCII letter', { systemId: 'müller' }, 'systemId'],
    ['system_id with a control character', { systemId: 'acme\n' }, 'systemId'],
    ['plaintext instead of a hash', { passwordHash: 'secret' }, 'passwordHash'],
    [
      'hash with out-of-bounds cost',
      { passwordHash: TEST_PASSWORD_HASH.replace('$1024$', '$2097152$') },
      'passwordHash',
    ],
    ['unknown bind type', { bindTypes: ['outbind'] }, 'bindTypes.0'],
    ['no bind type', { bindTypes: [] }, 'bindTypes'],
    ['repeated bind type', { bindTypes: ['receiver', 'receiver'] }, 'bindTypes'],
    ['zero binds', { maxBinds: 0 }, 'maxBinds'],
    ['fractional rate', { maxSubmitsPerSecond: 1.5 }, 'maxSubmitsPerSecond'],
    ['rate as a string', { maxSubmitsPerSecond: '100' }, 'maxSubmitsPerSecond'],
    ['invalid CIDR', { allowedCidrs: ['10.0.0.0/33'] }, 'allowedCidrs.0'],
    ['host name as CIDR', { allowedCidrs: ['example.com'] }, 'allowedCidrs.0'],
    ['no CIDR', { allowedCidrs: [] }, 'allowedCidrs'],
    ['priority 4', { approvedPriorities: [4] }, 'approvedPriorities.0'],
    ['repeated priority', { approvedPriorities: [1, 1] }, 'approvedPriorities'],
    ['no message class', { messageClasses: [] }, 'messageClasses'],
    ['message class with a space', { messageClasses: ['pre mium'] }, 'messageClasses.0'],
    ['tls flag as a string', { tlsRequired: 'yes' }, 'tlsRequired'],
    ['rule priority 9', { priorityRules: [{ match: {}, priority: 9 }] }, 'priorityRules.0.priority'],
    [
      'rule prefix with +',
      { priorityRules: [{ match: { destinationPrefix: '+45' }, priority: 0 }] },
      'priorityRules.0.match.destinationPrefix',
    ],
    [
      'rule with an unknown condition',
      { priorityRules: [{ match: { sender: 'x' }, priority: 0 }] },
      'priorityRules.0.match',
    ],
    [
      'rule for a class the account does not have',
      { priorityRules: [{ match: { messageClass: 'premium' }, priority: 0 }] },
      'priorityRules.0.match.messageClass',
    ],
    ['route without connector', { routes: [{ destinationPrefix: '45' }] }, 'routes.0.connector'],
    [
      'route with both forms',
      { routes: [{ destinationPrefix: '45', connector: 'a', connectors: ['b'] }] },
      'routes.0.connector',
    ],
    [
      'route with an empty list',
      { routes: [{ destinationPrefix: '45', connectors: [] }] },
      'routes.0.connectors',
    ],
    [
      'route listing a connector twice',
      { routes: [{ destinationPrefix: '45', connectors: ['a', 'b', 'a'] }] },
      'routes.0.connectors',
    ],
    [
      'route to too many connectors',
      { routes: [{ destinationPrefix: '45', connectors: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] }] },
      'routes.0.connectors',
    ],
    [
      'route to a dotted connector',
      { routes: [{ destinationPrefix: '45', connector: 'a.b' }] },
      'routes.0.connector',
    ],
    [
      'two routes for one prefix',
      {
        routes: [
          { destinationPrefix: '45', connector: 'a' },
          { destinationPrefix: '45', connector: 'b' },
        ],
      },
      'routes',
    ],
    ['created date that is not ISO 8601', { createdAt: '2024-01-02 03:04' }, 'createdAt'],
    ['unknown field (a typo)', { maxbinds: 3 }, ''],
  ])('%s', (_name, overrides, path) => {
    expect(issuePaths({ ...accountInput('acme'), ...overrides })).toContain(path);
  });

  it('rejects a non-object, and a record without systemId or passwordHash', () => {
    expect(issuePaths(null)).toEqual(['']);
    expect(issuePaths({ systemId: 'acme' })).toEqual(['passwordHash']);
    expect(issuePaths({ passwordHash: TEST_PASSWORD_HASH })).toEqual(['systemId']);
  });

  it('lists every problem at once, and never echoes the hash', () => {
    const error = rejection({ systemId: '', passwordHash: 'hunter2', maxBinds: -1, approvedPriorities: [7] });
    expect(error.issues.map((i) => i.path[0])).toEqual([
      'systemId',
      'passwordHash',
      'maxBinds',
      'approvedPriorities',
    ]);
    expect(error.message).not.toContain('hunter2');
  });

  it('the test hash is what it claims to be', async () => {
    expect(await verifyPassword('secret', TEST_PASSWORD_HASH)).toBe(true);
  });
});
