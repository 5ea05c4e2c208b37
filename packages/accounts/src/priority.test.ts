import { PRIORITIES, type Priority } from '@smsgw/nats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAccount, type PriorityRule } from './account.ts';
import { accountInput } from './account.test-support.ts';
import { capToApproved, effectivePriority, priorityRuleMatches, type PriorityRequest } from './priority.ts';

const message = (requested: Priority, over: Partial<PriorityRequest> = {}): PriorityRequest => ({
  requested,
  messageClass: 'standard',
  destination: '4512345678',
  ...over,
});

describe('effectivePriority: the approved set', () => {
  it('GatewayAPI example: approved for 1 and 2, sends 3 → 2', () => {
    expect(effectivePriority({ approvedPriorities: [1, 2], priorityRules: [] }, message(3))).toBe(2);
  });

  it('approved for none → 0, whatever is requested', () => {
    for (const p of PRIORITIES) {
      expect(effectivePriority({ approvedPriorities: [], priorityRules: [] }, message(p))).toBe(0);
    }
  });

  it.each<[readonly Priority[], Priority, Priority]>([
    [[0], 0, 0],
    [[0], 3, 0],
    [[1, 2], 0, 0],
    [[1, 2], 1, 1],
    [[1, 2], 2, 2],
    [[1, 2], 3, 2],
    [[2, 1], 3, 2],
    [[3], 2, 0],
    [[3], 3, 3],
    [[0, 1, 2, 3], 1, 1],
    [[0, 3], 2, 0],
    [[1, 3], 2, 1],
  ])('approved %j, requested %i → %i', (approved, requested, expected) => {
    expect(effectivePriority({ approvedPriorities: approved, priorityRules: [] }, message(requested))).toBe(
      expected,
    );
    expect(capToApproved(requested, approved)).toBe(expected);
  });

  it('works on a parsed account (defaults: approved [0], no rules)', () => {
    expect(effectivePriority(parseAccount(accountInput('a')), message(3))).toBe(0);
  });
});

describe('effectivePriority: overwrite rules', () => {
  const account = parseAccount(
    accountInput('a', {
      approvedPriorities: [0, 1, 2, 3],
      messageClasses: ['standard', 'premium', 'bulk'],
      priorityRules: [
        { match: { messageClass: 'bulk' }, priority: 0 },
        { match: { messageClass: 'standard', destinationPrefix: '4520' }, priority: 3 },
        { match: { messageClass: 'standard', destinationPrefix: '45' }, priority: 1 },
        { match: { destinationPrefix: '46' }, priority: 2 },
      ],
    }),
  );

  it.each<[string, PriorityRequest, Priority]>([
    ['class rule lowers', message(3, { messageClass: 'bulk' }), 0],
    ['class + prefix rule lowers', message(3, { destination: '4512345678' }), 1],
    ['a leading + on the destination is ignored', message(3, { destination: '+4512345678' }), 1],
    ['first match decides even when it changes nothing', message(2, { destination: '4520000000' }), 2],
    ['a rule never raises', message(0, { destination: '4520000000' }), 0],
    ['class mismatch skips a rule', message(3, { messageClass: 'premium', destination: '4512' }), 3],
    ['prefix-only rule, any class', message(3, { messageClass: 'premium', destination: '4670' }), 2],
    ['no rule matches: requested stands', message(3, { destination: '4712345678' }), 3],
  ])('%s', (_name, request, expected) => {
    expect(effectivePriority(account, request)).toBe(expected);
  });

  it('the result of a rule is still capped to the approved set', () => {
    const capped = { ...account, approvedPriorities: [0, 2] as const };
    // The rule sets 1, which is not approved: the highest approved below is 0.
    expect(effectivePriority(capped, message(3, { destination: '4512' }))).toBe(0);
    // No rule matches and 3 is not approved: 2.
    expect(effectivePriority(capped, message(3, { destination: '4712' }))).toBe(2);
  });

  it('a rule without conditions matches everything', () => {
    const rule: PriorityRule = { match: {}, priority: 1 };
    expect(priorityRuleMatches(rule, message(3, { messageClass: 'x', destination: '' }))).toBe(true);
  });
});

describe('effectivePriority properties', () => {
  const priority = fc.constantFrom(...PRIORITIES);
  const approved = fc.subarray([...PRIORITIES]);
  const classes = ['standard', 'premium'] as const;
  const rule = fc.record({
    match: fc.record(
      { messageClass: fc.constantFrom(...classes), destinationPrefix: fc.stringMatching(/^[45]{1,3}$/) },
      { requiredKeys: [] },
    ),
    priority,
  });
  const request = fc.record({
    requested: priority,
    messageClass: fc.constantFrom(...classes),
    destination: fc.stringMatching(/^\+?[45]{0,6}$/),
  });
  const accountArb = fc.record({
    approvedPriorities: approved,
    priorityRules: fc.array(rule, { maxLength: 6 }),
  });

  it('is never above the requested priority, and is always approved or 0', () => {
    fc.assert(
      fc.property(accountArb, request, (account, req) => {
        const result = effectivePriority(account, req);
        expect(result).toBeLessThanOrEqual(req.requested);
        expect(result === 0 || account.approvedPriorities.includes(result)).toBe(true);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('is the highest approved priority not above the requested one when no rule matches', () => {
    fc.assert(
      fc.property(approved, priority, (approvedPriorities, requested) => {
        const below = approvedPriorities.filter((p) => p <= requested);
        const expected = below.length === 0 ? 0 : Math.max(...below);
        expect(effectivePriority({ approvedPriorities, priorityRules: [] }, message(requested))).toBe(
          expected,
        );
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it('only the first matching rule counts: rules after it change nothing', () => {
    fc.assert(
      fc.property(accountArb, request, fc.array(rule, { maxLength: 3 }), (account, req, tail) => {
        const firstMatch = account.priorityRules.findIndex((r) => priorityRuleMatches(r, req));
        fc.pre(firstMatch >= 0);
        const extended = { ...account, priorityRules: [...account.priorityRules, ...tail] };
        expect(effectivePriority(extended, req)).toBe(effectivePriority(account, req));
      }),
      { seed: 11, numRuns: 500 },
    );
  });
});
