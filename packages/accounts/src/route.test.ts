import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTOR, parseAccount } from './account.ts';
import { accountInput } from './account.test-support.ts';
import { routeFor } from './route.ts';

describe('routeFor', () => {
  const account = parseAccount(
    accountInput('a', {
      routes: [
        { destinationPrefix: '45', connector: 'dk' },
        { destinationPrefix: '4520', connector: 'dk-mobile' },
        { destinationPrefix: '452', connector: 'dk-2' },
        { destinationPrefix: '1', connector: 'nanp' },
      ],
    }),
  );

  it.each([
    ['4512345678', 'dk'],
    ['4520123456', 'dk-mobile'],
    ['4521123456', 'dk-2'],
    ['+4520123456', 'dk-mobile'],
    ['12025550123', 'nanp'],
    ['4612345678', 'sim'],
    ['', 'sim'],
    ['+', 'sim'],
    ['4', 'sim'],
  ])('%j → %s (longest matching prefix, whatever the order)', (destination, connector) => {
    expect(routeFor(account, destination)).toBe(connector);
  });

  it("defaults to 'sim' for an account without routes", () => {
    expect(DEFAULT_CONNECTOR).toBe('sim');
    expect(routeFor(parseAccount(accountInput('b')), '4512345678')).toBe('sim');
  });

  it('goes to the default connector given (ROUTER_DEFAULT_CONNECTOR) when no route matches', () => {
    expect(routeFor(parseAccount(accountInput('b')), '4512345678', 'upstream')).toBe('upstream');
    expect(routeFor(account, '4512345678', 'upstream')).not.toBe('upstream');
  });

  it('an empty prefix replaces the default', () => {
    const catchAll = {
      routes: [
        { destinationPrefix: '', connector: 'upstream' },
        { destinationPrefix: '45', connector: 'dk' },
      ],
    };
    expect(routeFor(catchAll, '4612')).toBe('upstream');
    expect(routeFor(catchAll, '4512')).toBe('dk');
  });

  it('property: the route order does not matter', () => {
    const routes = fc.uniqueArray(
      fc.record({
        destinationPrefix: fc.stringMatching(/^[0-2]{0,4}$/),
        connector: fc.constantFrom('a', 'b', 'c'),
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
