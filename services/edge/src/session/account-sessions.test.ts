/** The busiest accounts: by bound sessions, ties by system_id, at most the limit, with their bind types. */
import type { BindType } from '@smsgw/accounts';
import type { SmppSession } from '@smsgw/smpp';
import { describe, expect, it } from 'vitest';
import { busiestAccounts } from './account-sessions.ts';
import type { BoundSession } from './session-registry.ts';

function registry(spec: Record<string, BindType[]>): Map<string, Set<BoundSession>> {
  const out = new Map<string, Set<BoundSession>>();
  let n = 0;
  for (const [systemId, types] of Object.entries(spec)) {
    const set = new Set<BoundSession>();
    for (const bindType of types) {
      const sessionId = `s${String(++n)}`;
      set.add({
        session: {} as unknown as SmppSession,
        sessionId,
        systemId,
        bindType,
        interfaceVersion: 0x34,
      });
    }
    out.set(systemId, set);
  }
  return out;
}

describe('busiestAccounts', () => {
  const byAccount = registry({
    small: ['transmitter'],
    big: ['transmitter', 'transmitter', 'receiver'],
    middle: ['transceiver', 'receiver'],
    also: ['transceiver'],
    gone: [],
  });

  it('ranks by sessions, breaks ties by system_id, and keeps at most the limit', () => {
    expect(busiestAccounts(byAccount, 3).map((a) => [a.systemId, a.total])).toEqual([
      ['big', 3],
      ['middle', 2],
      ['also', 1],
    ]);
    expect(busiestAccounts(byAccount, 100).map((a) => a.systemId)).toEqual([
      'big',
      'middle',
      'also',
      'small',
    ]);
  });

  it('counts each account by bind type', () => {
    const [big] = busiestAccounts(byAccount, 1);
    expect(big?.byBindType).toEqual(
      new Map([
        ['transmitter', 2],
        ['receiver', 1],
      ]),
    );
  });

  it('gives nothing with a limit of 0', () => {
    expect(busiestAccounts(byAccount, 0)).toEqual([]);
  });
});
