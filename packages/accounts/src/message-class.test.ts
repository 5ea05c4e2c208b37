import { describe, expect, it } from 'vitest';
import { parseAccount } from './account.ts';
import { accountInput } from './account.test-support.ts';
import { messageClassFor } from './message-class.ts';

describe('messageClassFor', () => {
  it("a submit without a class goes in the account's first class ('standard' by default)", () => {
    expect(messageClassFor(parseAccount(accountInput('a')), undefined)).toBe('standard');
    expect(messageClassFor({ messageClasses: ['premium', 'standard'] }, undefined)).toBe('premium');
  });

  it('a class the account has is kept; any other is refused', () => {
    const account = { messageClasses: ['standard', 'premium'] };
    expect(messageClassFor(account, 'premium')).toBe('premium');
    expect(messageClassFor(account, 'secret')).toBeUndefined();
    expect(messageClassFor(account, 'Premium')).toBeUndefined();
    expect(messageClassFor(account, '')).toBeUndefined();
  });
});
