import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WindowLedger, pickPod, type PodCandidate } from './window-ledger.ts';

function ledger(clock = { t: 0 }): WindowLedger {
  return new WindowLedger({ sessionWindow: 10, probeIntervalMs: 1_000, now: () => clock.t });
}

describe('WindowLedger', () => {
  it('estimates receivers × session window until a credit arrives, less what is in flight', () => {
    const l = ledger();
    expect(l.free('a:1', 'acme', 2)).toBe(20);
    l.sent('a:1', 'acme');
    l.sent('a:1', 'acme');
    expect(l.free('a:1', 'acme', 2)).toBe(18);
    l.settled('a:1', 'acme');
    expect(l.free('a:1', 'acme', 2)).toBe(19);
    expect(l.inFlight('a:1', 'acme')).toBe(1);
  });

  it('follows the last credit, less what was sent after it', () => {
    const l = ledger();
    l.sent('a:1', 'acme');
    l.credit('a:1', 'acme', 4);
    expect(l.free('a:1', 'acme', 2)).toBe(4);
    l.sent('a:1', 'acme');
    expect(l.free('a:1', 'acme', 2)).toBe(3);
    // Accounts and pods are independent.
    expect(l.free('a:1', 'globex', 1)).toBe(10);
    expect(l.free('b:1', 'acme', 1)).toBe(10);
  });

  it('probes a pod without credit once per interval, only when nothing is in flight', () => {
    const clock = { t: 0 };
    const l = ledger(clock);
    l.credit('a:1', 'acme', 0);
    expect(l.free('a:1', 'acme', 1)).toBe(1);
    l.sent('a:1', 'acme');
    expect(l.free('a:1', 'acme', 1)).toBe(0);
    l.settled('a:1', 'acme');
    l.credit('a:1', 'acme', 0);
    clock.t = 999;
    expect(l.free('a:1', 'acme', 1)).toBe(0);
    clock.t = 1_000;
    expect(l.free('a:1', 'acme', 1)).toBe(1);
  });

  it('forgets a credit on reset and pods no longer present on retain', () => {
    const l = ledger();
    l.credit('a:1', 'acme', 0);
    l.sent('a:1', 'acme');
    l.reset('a:1', 'acme');
    expect(l.free('a:1', 'acme', 3)).toBe(29);
    l.credit('b:1', 'acme', 0);
    l.retain('acme', new Set(['a:1']));
    expect(l.free('b:1', 'acme', 1)).toBe(10);
    // In flight survives retain: its settle still has to be counted.
    l.retain('acme', new Set());
    expect(l.inFlight('a:1', 'acme')).toBe(1);
  });
});

describe('pickPod', () => {
  const pod = (address: string, free: number, inFlight = 0): PodCandidate => ({
    pod: address,
    address,
    free,
    inFlight,
  });

  it('takes the most free window, then the fewest in flight, never a full or excluded pod', () => {
    expect(pickPod([pod('a', 3), pod('b', 5)])?.address).toBe('b');
    expect(pickPod([pod('a', 5, 2), pod('b', 5, 1)])?.address).toBe('b');
    expect(pickPod([pod('a', 0), pod('b', -1)])).toBeUndefined();
    expect(pickPod([pod('a', 3), pod('b', 5)], new Set(['b']))?.address).toBe('a');
  });

  it('spreads a stream of reports evenly over equal pods', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 20 }), (pods, window) => {
        const l = ledger();
        const addresses = Array.from({ length: pods }, (_, i) => `p${String(i)}`);
        const counts = new Map<string, number>();
        for (let i = 0; i < pods * window; i++) {
          const chosen = pickPod(
            addresses.map((a) => pod(a, l.free(a, 'acme', 1 + window / 10), l.inFlight(a, 'acme'))),
          );
          if (chosen === undefined) break;
          l.sent(chosen.address, 'acme');
          counts.set(chosen.address, (counts.get(chosen.address) ?? 0) + 1);
        }
        const spread = [...counts.values()];
        expect(Math.max(...spread) - Math.min(...spread)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
