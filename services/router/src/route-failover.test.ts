/** Route selection with failover: planRoute over the account's ordered lists and the default route, health as input. */
import { parseAccount, type Account } from '@smsgw/accounts';
import { describe, expect, it } from 'vitest';
import { ConnectorHealth } from './connector-health.ts';
import { chooseConnector, planRoute, DEFAULT_ROUTING_RULES, type RouteSelection } from './route-plan.ts';
import { accountInput, makeSubmit } from './router.test-support.ts';

const routedAt = new Date('2026-01-02T03:04:06Z');

const to = (addr: string) =>
  makeSubmit('1', { destination: { ton: 1, npi: 1, addr, $typeName: 'smsgw.v1.Address' } });

const down =
  (...names: string[]) =>
  (connector: string): boolean =>
    names.includes(connector);

async function account(): Promise<Account> {
  return parseAccount(
    await accountInput('acme', {
      routes: [
        { destinationPrefix: '45', connectors: ['dk-a', 'dk-b', 'dk-c'] },
        { destinationPrefix: '46', connector: 'se' },
      ],
    }),
  );
}

describe('chooseConnector', () => {
  it.each([
    [[], 'dk-a', ['dk-b', 'dk-c'], []],
    [['dk-a'], 'dk-b', ['dk-c'], ['dk-a']],
    [['dk-b'], 'dk-a', ['dk-b', 'dk-c'], []],
    [['dk-a', 'dk-b'], 'dk-c', [], ['dk-a', 'dk-b']],
    // All down: the first keeps the message in its lane until it is back.
    [['dk-a', 'dk-b', 'dk-c'], 'dk-a', ['dk-b', 'dk-c'], []],
  ] as const)('down %j → %s, then %j (skipped %j)', (isDown, connector, fallbacks, skipped) => {
    expect(chooseConnector(['dk-a', 'dk-b', 'dk-c'], down(...isDown))).toEqual({
      connector,
      fallbacks,
      skipped,
    });
  });

  it('refuses an empty list', () => {
    expect(() => chooseConnector([], down())).toThrow(RangeError);
  });
});

describe('planRoute with failover', () => {
  it('takes the first connector that is not down and carries the rest of the list', async () => {
    const acme = await account();
    const selection: RouteSelection = { defaultRoute: ['sim'], isDown: down('dk-a') };
    const plan = planRoute(to('4512345678'), acme, routedAt, selection);
    expect(plan.connector).toBe('dk-b');
    expect(plan.subject).toBe('sms.route.dk-b.0');
    expect(plan.routed.connector).toBe('dk-b');
    expect(plan.routed.fallbackConnectors).toEqual(['dk-c']);
    expect(plan.skippedConnectors).toEqual(['dk-a']);
    expect(plan.routed.routeId).toBe('acme:45');
  });

  it('a route of one connector (the older form) has no fallback, down or not', async () => {
    const plan = planRoute(to('4612345678'), await account(), routedAt, {
      defaultRoute: ['sim'],
      isDown: down('se'),
    });
    expect([plan.connector, plan.routed.fallbackConnectors]).toEqual(['se', []]);
  });

  it('no matching route, or an unknown account: the system-wide default route, with failover too', async () => {
    const selection: RouteSelection = { defaultRoute: ['upstream', 'sim'], isDown: down() };
    const plan = planRoute(to('4712345678'), await account(), routedAt, selection);
    expect([plan.connector, plan.routed.fallbackConnectors, plan.routed.routeId]).toEqual([
      'upstream',
      ['sim'],
      'default',
    ]);
    const failed = planRoute(to('4712345678'), DEFAULT_ROUTING_RULES, routedAt, {
      ...selection,
      isDown: down('upstream'),
    });
    expect([failed.connector, failed.routed.fallbackConnectors]).toEqual(['sim', []]);
  });

  it('without a selection: the default route is sim and nothing is down (as before routes had lists)', async () => {
    const plan = planRoute(to('4712345678'), await account(), routedAt);
    expect(plan.connector).toBe('sim');
    expect(planRoute(to('4512345678'), await account(), routedAt).connector).toBe('dk-a');
  });

  it('follows the health of the first connector: over to the second while it is down, and back', async () => {
    const acme = await account();
    const failoverMs = 30_000;
    const t0 = Date.parse('2026-05-01T00:00:00Z');
    const health = new ConnectorHealth(failoverMs, t0);
    const at = (now: number): RouteSelection => ({
      defaultRoute: ['sim'],
      isDown: (c) => health.isDown(c, now),
    });
    const health0 = {
      since: new Date(t0).toISOString(),
      ttlMs: 60_000,
      updatedAt: new Date(t0).toISOString(),
    };
    for (const c of ['dk-a', 'dk-b', 'dk-c'])
      health.put({ connector: c, pod: `${c}-0`, ready: true, ...health0 }, t0);
    const route = (now: number): string => planRoute(to('4512345678'), acme, routedAt, at(now)).connector;

    expect(route(t0)).toBe('dk-a');
    health.put({ connector: 'dk-a', pod: 'dk-a-0', ready: false, ...health0 }, t0 + 1_000);
    expect(route(t0 + 1_000)).toBe('dk-a'); // not ready, but not for long enough yet
    expect(route(t0 + 1_000 + failoverMs - 1)).toBe('dk-a');
    health.put({ connector: 'dk-a', pod: 'dk-a-0', ready: false, ...health0 }, t0 + failoverMs);
    expect(route(t0 + 1_000 + failoverMs)).toBe('dk-b');
    health.put({ connector: 'dk-a', pod: 'dk-a-0', ready: true, ...health0 }, t0 + 40_000);
    expect(route(t0 + 40_000)).toBe('dk-a');
  });
});
