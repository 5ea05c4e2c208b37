import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAccount } from './account.ts';
import { accountInput } from './account.test-support.ts';
import { routeFor } from './route.ts';

describe('routeFor', () => {
  const account = parseAccount(
    accountInput('a', {
      routes: [
        { destinationPrefix: '45', connector: 'dk' },
        { destinationPrefix: '4520', connector: 'dk-mobile' },
        { destinationPrefix: '452', connector: 'dk-2' },
        { destinationPrefix: '1', connectors: ['nanp', 'nanp-backup'] },
      ],
    }),
  );
  const firstConnector = (destination: string): string | undefined =>
    routeFor(account, destination)?.connectors[0];

  it.each([
    ['4512345678', 'dk'],
    ['4520123456', 'dk-mobile'],
    ['4521123456', 'dk-2'],
    ['+4520123456', 'dk-mobile'],
    ['12025550123', 'nanp'],
    ['4612345678', undefined],
    ['', undefined],
    ['+', undefined],
    ['4', undefined],
  ])('%j → %s (longest matching prefix, whatever the order)', (destination, connector) => {
    expect(firstConnector(destination)).toBe(connector);
  });

  it('gives the whole ordered list of the route', () => {
    expect(routeFor(account, '12025550123')?.connectors).toEqual(['nanp', 'nanp-backup']);
  });

  it('finds no route for an account without routes (the router then takes its default route)', () => {
    expect(routeFor(parseAccount(accountInput('b')), '4512345678')).toBeUndefined();
  });

  it('an empty prefix replaces the default', () => {
    const catchAll = {
      routes: [
        { destinationPrefix: '', connectors: ['upstream'] },
        { destinationPrefix: '45', connectors: ['dk'] },
      ],
    };
    expect(routeFor(catchAll, '4612')?.connectors).toEqual(['upstream']);
    expect(routeFor(catchAll, '4512')?.connectors).toEqual(['dk']);
  });

  it('property: the route order does not matter', () => {
    const routes = fc.uniqueArray(
      fc.record({
        destinationPrefix: fc.stringMatching(/^[0-2]{0,4}$/),
        connectors: fc.constantFrom(['a'], ['b', 'a'], ['c']),
      }),
      { selector: (r) => r.destinationPrefix, maxLength: 8 },
    );
    fc.assert(
      fc.property(routes, fc.stringMatching(/^\+?[0-2]{0,6}$/), (rs, destination) => {
        const reversed = [...rs].reverse();
        expect(routeFor({ routes: rs }, destination)).toBe(routeFor({ routes: reversed }, destination));
      }),
      { seed: 5, numRuns: 500 },
    );
  });
});
