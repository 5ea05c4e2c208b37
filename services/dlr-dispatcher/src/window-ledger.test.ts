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
    l.sent('a:1', 'acme', 1n);
    l.sent('a:1', 'acme', 2n);
    expect(l.free('a:1', 'acme', 2)).toBe(18);
    l.settled('a:1', 'acme', 1n);
    expect(l.free('a:1', 'acme', 2)).toBe(19);
    expect(l.inFlight('a:1', 'acme')).toBe(1);
  });

  it('counts against a credit only what the pod had not received when it made it', () => {
    const l = ledger();
    l.sent('a:1', 'acme', 1n);
    l.sent('a:1', 'acme', 2n);
    l.sent('a:1', 'acme', 3n);
    // The pod had received 1 and 2 (they are in its 4); 3 was on its way.
    l.credit('a:1', 'acme', 4, 2n);
    expect(l.free('a:1', 'acme', 2)).toBe(3);
    l.sent('a:1', 'acme', 4n);
    expect(l.free('a:1', 'acme', 2)).toBe(2);
    // 4 answered before any credit covered it: its slot is free again.
    l.settled('a:1', 'acme', 4n);
    expect(l.free('a:1', 'acme', 2)).toBe(3);
    l.credit('a:1', 'acme', 3, 4n);
    expect(l.free('a:1', 'acme', 2)).toBe(3);
    // Accounts and pods are independent.
    expect(l.free('a:1', 'globex', 1)).toBe(10);
    expect(l.free('b:1', 'acme', 1)).toBe(10);
  });

  it('takes a credit without a delivery id (an older edge) as counting everything sent before it', () => {
    const l = ledger();
    l.sent('a:1', 'acme', 1n);
    l.credit('a:1', 'acme', 4);
    expect(l.free('a:1', 'acme', 2)).toBe(4);
    l.sent('a:1', 'acme', 2n);
    expect(l.free('a:1', 'acme', 2)).toBe(3);
  });

  it('probes a pod without credit once per interval, only when nothing is in flight', () => {
    const clock = { t: 0 };
    const l = ledger(clock);
    l.credit('a:1', 'acme', 0);
    expect(l.free('a:1', 'acme', 1)).toBe(1);
    l.sent('a:1', 'acme', 1n);
    expect(l.free('a:1', 'acme', 1)).toBe(0);
    l.settled('a:1', 'acme', 1n);
    l.credit('a:1', 'acme', 0, 1n);
    clock.t = 999;
    expect(l.free('a:1', 'acme', 1)).toBe(0);
    clock.t = 1_000;
    expect(l.free('a:1', 'acme', 1)).toBe(1);
  });

  it('forgets a credit on reset and pods no longer present on retain', () => {
    const l = ledger();
    l.credit('a:1', 'acme', 0);
    l.sent('a:1', 'acme', 1n);
    l.reset('a:1', 'acme');
    expect(l.free('a:1', 'acme', 3)).toBe(29);
    l.credit('b:1', 'acme', 0);
    l.retain('acme', new Set(['a:1']));
    expect(l.free('b:1', 'acme', 1)).toBe(10);
    // In flight survives retain: its settle still has to be counted.
    l.retain('acme', new Set());
    expect(l.inFlight('a:1', 'acme')).toBe(1);
  });

  it('never sends a pod more than its window, however requests, results and credits interleave', () => {
    // One dispatcher, one pod with `window` slots, FIFO streams both ways (as gRPC keeps them), and the
    // edge's rule: a Credit after every result, with the free window and the last delivery_id received.
    type Up = { kind: 'result'; id: bigint } | { kind: 'credit'; free: number; last: bigint };
    const step = fc.constantFrom('send', 'receive', 'answer', 'read');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(step, { minLength: 20, maxLength: 400, size: 'max' }),
        (window, steps) => {
          const l = new WindowLedger({ sessionWindow: window, probeIntervalMs: 1_000, now: () => 0 });
          const down: bigint[] = [];
          const up: Up[] = [];
          const held: bigint[] = [];
          let nextId = 1n;
          let lastReceived = 0n;
          let overflows = 0;
          for (const s of steps) {
            if (s === 'send' && l.free('a:1', 'acme', 1) > 0) {
              l.sent('a:1', 'acme', nextId);
              down.push(nextId++);
            } else if (s === 'receive' && down.length > 0) {
              const id = down.shift() ?? 0n;
              lastReceived = id;
              if (held.length < window) held.push(id);
              else {
                overflows++;
                up.push({ kind: 'result', id }, { kind: 'credit', free: 0, last: lastReceived });
              }
            } else if (s === 'answer' && held.length > 0) {
              const id = held.shift() ?? 0n;
              up.push(
                { kind: 'result', id },
                { kind: 'credit', free: window - held.length, last: lastReceived },
              );
            } else if (s === 'read' && up.length > 0) {
              const m = up.shift();
              if (m?.kind === 'result') l.settled('a:1', 'acme', m.id);
              else if (m !== undefined) l.credit('a:1', 'acme', m.free, m.last);
            }
          }
          expect(overflows).toBe(0);
          // Once everything is answered and read, the whole window is free again.
          while (down.length > 0 || held.length > 0 || up.length > 0) {
            const id = down.shift();
            if (id !== undefined) {
              lastReceived = id;
              held.push(id);
            }
            const done = held.shift();
            if (done !== undefined) {
              up.push(
                { kind: 'result', id: done },
                { kind: 'credit', free: window - held.length, last: lastReceived },
              );
            }
            for (const m of up.splice(0)) {
              if (m.kind === 'result') l.settled('a:1', 'acme', m.id);
              else l.credit('a:1', 'acme', m.free, m.last);
            }
          }
          expect(l.free('a:1', 'acme', 1)).toBe(window);
        },
      ),
    );
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
          l.sent(chosen.address, 'acme', BigInt(i + 1));
          counts.set(chosen.address, (counts.get(chosen.address) ?? 0) + 1);
        }
        const spread = [...counts.values()];
        expect(Math.max(...spread) - Math.min(...spread)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
