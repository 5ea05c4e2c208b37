import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { parseAccount, type Account } from '@smsgw/accounts';
import { PRIORITIES, parseRouteSubject } from '@smsgw/nats';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING_RULES, planRoute } from './route-plan.ts';
import { accountInput, makeSubmit, TRACEPARENT } from './router.test-support.ts';

const routedAt = new Date('2026-01-02T03:04:06Z');
let acme: Account;

beforeAll(async () => {
  acme = parseAccount(
    await accountInput('acme', {
      approvedPriorities: [1, 2],
      messageClasses: ['standard', 'bulk', 'premium'],
      priorityRules: [
        { match: { messageClass: 'bulk' }, priority: 0 },
        { match: { destinationPrefix: '4470' }, priority: 1 },
      ],
      routes: [
        { destinationPrefix: '45', connector: 'dk' },
        { destinationPrefix: '4412', connector: 'uk' },
        { destinationPrefix: '44', connector: 'uk-bulk' },
      ],
    }),
  );
});

describe('planRoute: priority and connector', () => {
  it.each([
    // requested, class, destination → priority, connector, route id
    [3, undefined, '4512345678', 2, 'dk', 'acme:45'], // approved 1 and 2, sends 3 → 2
    [2, undefined, '4512345678', 2, 'dk', 'acme:45'],
    [1, undefined, '4512345678', 1, 'dk', 'acme:45'],
    [0, undefined, '4512345678', 0, 'dk', 'acme:45'], // 0 is every account's floor
    [3, 'bulk', '4512345678', 0, 'dk', 'acme:45'], // rule by class
    [3, 'standard', '447012345', 1, 'uk-bulk', 'acme:44'], // rule by prefix; route by the shorter prefix
    [3, 'bulk', '447012345', 0, 'uk-bulk', 'acme:44'], // first matching rule wins
    [3, 'premium', '441234567', 2, 'uk', 'acme:4412'], // longest route prefix wins
    [3, 'premium', '+441234567', 2, 'uk', 'acme:4412'], // a leading '+' is ignored
    [2, 'standard', '4612345678', 2, 'sim', 'default'], // no route: the default connector
    [7, 'standard', '4612345678', 2, 'sim', 'default'], // out of range counts as 3
  ] as const)(
    'requested %i, class %s, to %s → lane %i of %s (%s)',
    (requested, messageClass, addr, priority, connector, routeId) => {
      const submit = makeSubmit('1', {
        priorityFlag: requested,
        destination: { ton: 1, npi: 1, addr, $typeName: 'smsgw.v1.Address' },
        ...(messageClass === undefined ? {} : { messageClass }),
      });
      const plan = planRoute(submit, acme, routedAt);
      expect(plan.priority).toBe(priority);
      expect(plan.connector).toBe(connector);
      expect(plan.subject).toBe(`sms.route.${connector}.${priority}`);
      expect(plan.routed.priorityFlag).toBe(priority);
      expect(plan.routed.connector).toBe(connector);
      expect(plan.routed.routeId).toBe(routeId);
    },
  );

  it('routes an unknown account with the defaults: lane 0 of sim', () => {
    const plan = planRoute(makeSubmit('1', { priorityFlag: 3 }), DEFAULT_ROUTING_RULES, routedAt);
    expect([plan.connector, plan.priority, plan.routed.routeId]).toEqual(['sim', 0, 'default']);
  });

  it('never routes above the requested priority, and only to an approved lane or 0', async () => {
    const account = async (approved: number[]) =>
      parseAccount(
        await accountInput('p', { approvedPriorities: approved as Account['approvedPriorities'] }),
      );
    const accounts = await Promise.all(
      [[], [0], [1], [2, 3], [1, 2], [0, 1, 2, 3], [3]].map((a) => account(a)),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...accounts),
        fc.constantFrom(...PRIORITIES),
        fc.stringMatching(/^\d{1,15}$/),
        (rules, requested, addr) => {
          const submit = makeSubmit('1', {
            priorityFlag: requested,
            destination: { ton: 1, npi: 1, addr, $typeName: 'smsgw.v1.Address' },
          });
          const plan = planRoute(submit, rules, routedAt);
          expect(plan.priority).toBeLessThanOrEqual(requested);
          expect(plan.priority === 0 || rules.approvedPriorities.includes(plan.priority)).toBe(true);
          expect(parseRouteSubject(plan.subject)).toEqual({
            connector: plan.connector,
            priority: plan.priority,
          });
        },
      ),
    );
  });
});

describe('planRoute: what is published', () => {
  const submit = makeSubmit('1390125333', {
    systemId: 'acme',
    priorityFlag: 3,
    registeredDelivery: 0x11,
    dataCoding: 8,
    segments: 2,
    userMessageReference: new TextEncoder().encode('order-4711'),
    traceparent: TRACEPARENT,
    tracestate: 'vendor=abc',
  });

  it('publishes the submit unchanged, with the effective priority and the routing time', () => {
    const plan = planRoute(submit, acme, routedAt);
    expect(plan.routed.submit).toEqual(submit);
    expect(plan.routed.submit?.priorityFlag).toBe(3);
    expect(plan.requestedPriority).toBe(3);
    expect(plan.routed.priorityFlag).toBe(2);
    expect(plan.routed.routedAt).toEqual(timestampFromDate(routedAt));
  });
});

describe('planRoute: expiry (README "Message validity")', () => {
  const expiry = (rules: Parameters<typeof planRoute>[1], expiresAt?: Date): string | undefined => {
    const submit = makeSubmit(
      '1',
      expiresAt === undefined ? {} : { expiresAt: timestampFromDate(expiresAt) },
    );
    const routed = planRoute(submit, rules, routedAt).routed;
    return routed.expiresAt === undefined ? undefined : timestampDate(routed.expiresAt).toISOString();
  };

  it('is accepted_at + the max validity (48 h by default) when the client asked for none', () => {
    expect(expiry(acme)).toBe('2026-01-04T03:04:05.678Z');
    expect(expiry(DEFAULT_ROUTING_RULES)).toBe('2026-01-04T03:04:05.678Z');
  });

  it("keeps the client's expiry within the max validity, and cuts a longer one to it", () => {
    const short = { ...acme, maxValiditySeconds: 600 };
    expect(expiry(short, new Date('2026-01-02T03:10:00Z'))).toBe('2026-01-02T03:10:00.000Z');
    expect(expiry(short, new Date('2026-01-09T00:00:00Z'))).toBe('2026-01-02T03:14:05.678Z');
    expect(expiry(acme, new Date('2026-01-09T00:00:00Z'))).toBe('2026-01-04T03:04:05.678Z');
  });
});
