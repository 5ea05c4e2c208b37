import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DirectHolds } from './direct-holds.ts';

/** DirectHolds on a clock the test moves. */
function holds(maxHeld: number, slowMs = 1_000): { holds: DirectHolds; clock: { now: number } } {
  const clock = { now: 0 };
  return { holds: new DirectHolds({ maxHeld, slowMs, now: () => clock.now }), clock };
}

describe('DirectHolds', () => {
  it("holds at most the account's window of its reports", () => {
    const { holds: h } = holds(100);
    for (let i = 0; i < 3; i++) expect(h.admit('acme', 3)).toBeUndefined();
    expect(h.admit('acme', 3)).toBe('account_cap');
    expect(h.heldOf('acme')).toBe(3);
    // Another account has its own window.
    expect(h.admit('globex', 3)).toBeUndefined();
    h.end('acme', 'room');
    expect(h.admit('acme', 3)).toBeUndefined();
  });

  it('holds at most maxHeld over all accounts', () => {
    const { holds: h } = holds(2);
    expect(h.admit('a', 10)).toBeUndefined();
    expect(h.admit('b', 10)).toBeUndefined();
    expect(h.admit('c', 10)).toBe('total_cap');
    expect(h.held).toBe(2);
    h.end('a', 'released');
    expect(h.admit('c', 10)).toBeUndefined();
  });

  it('marks an account slow for slowMs after a hold timed out, and forgets the mark when told', () => {
    const { holds: h, clock } = holds(10, 1_000);
    expect(h.admit('acme', 5)).toBeUndefined();
    h.end('acme', 'timeout');
    expect(h.admit('acme', 5)).toBe('slow');
    // Other accounts are not affected.
    expect(h.admit('globex', 5)).toBeUndefined();
    clock.now = 999;
    expect(h.isSlow('acme')).toBe(true);
    clock.now = 1_000;
    expect(h.admit('acme', 5)).toBeUndefined();
    h.end('acme', 'timeout');
    expect(h.isSlow('acme')).toBe(true);
    h.forget('acme');
    expect(h.isSlow('acme')).toBe(false);
  });

  it('room and released do not mark an account slow', () => {
    const { holds: h } = holds(10);
    h.admit('acme', 5);
    h.end('acme', 'room');
    h.admit('acme', 5);
    h.end('acme', 'released');
    expect(h.isSlow('acme')).toBe(false);
  });

  it('never counts more than its bounds, and counts back to zero (property)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('admit' as const), account: fc.constantFrom('a', 'b', 'c') }),
      fc.record({ kind: fc.constant('end' as const), index: fc.nat() }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 5 }),
        fc.array(op),
        (max, w, ops) => {
          const { holds: h } = holds(max);
          const admitted: string[] = [];
          for (const o of ops) {
            if (o.kind === 'admit') {
              if (h.admit(o.account, w) === undefined) admitted.push(o.account);
            } else if (admitted.length > 0) {
              const [account] = admitted.splice(o.index % admitted.length, 1);
              if (account !== undefined) h.end(account, 'room');
            }
            expect(h.held).toBe(admitted.length);
            expect(h.held).toBeLessThanOrEqual(max);
            for (const a of ['a', 'b', 'c']) expect(h.heldOf(a)).toBeLessThanOrEqual(w);
          }
          for (const a of admitted) h.end(a, 'room');
          expect(h.held).toBe(0);
        },
      ),
    );
  });
});
