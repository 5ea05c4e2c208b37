import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutboundWindow, type OutboundRequest } from './outbound-window.ts';

function request(sequenceNumber: number, windowed = true): OutboundRequest {
  return {
    command: windowed ? 'submit_sm' : 'enquire_link',
    sequenceNumber,
    bytes: new Uint8Array(16),
    timeout: 1000,
    windowed,
    resolve: () => undefined,
    reject: () => undefined,
    timer: undefined,
  };
}

describe('OutboundWindow', () => {
  it('holds the N+1th request until a response frees a slot, in FIFO order', () => {
    const window = new OutboundWindow(2, 10);
    for (const seq of [1, 2, 3, 4]) expect(window.enqueue(request(seq))).toBe(true);
    expect(window.nextToSend()?.sequenceNumber).toBe(1);
    expect(window.nextToSend()?.sequenceNumber).toBe(2);
    expect(window.nextToSend()).toBeUndefined();
    expect(window.windowUsed).toBe(2);
    expect(window.queuedCount).toBe(2);
    expect(window.settle(2)?.sequenceNumber).toBe(2);
    expect(window.nextToSend()?.sequenceNumber).toBe(3);
    expect(window.nextToSend()).toBeUndefined();
    expect(window.settle(1)?.sequenceNumber).toBe(1);
    expect(window.nextToSend()?.sequenceNumber).toBe(4);
    expect(window.queuedCount).toBe(0);
  });

  it('refuses requests once window and queue are full', () => {
    const window = new OutboundWindow(1, 2);
    expect(window.enqueue(request(1))).toBe(true);
    window.nextToSend();
    expect(window.enqueue(request(2))).toBe(true);
    expect(window.enqueue(request(3))).toBe(true);
    expect(window.enqueue(request(4))).toBe(false);
    window.settle(1);
    // A free slot is room as well.
    expect(window.enqueue(request(4))).toBe(true);
  });

  it('with maxQueued 0 sends while the window has room and refuses after', () => {
    const window = new OutboundWindow(1, 0);
    expect(window.enqueue(request(1))).toBe(true);
    expect(window.nextToSend()?.sequenceNumber).toBe(1);
    expect(window.enqueue(request(2))).toBe(false);
  });

  it('lets control requests bypass the window', () => {
    const window = new OutboundWindow(1, 0);
    window.enqueue(request(1));
    window.nextToSend();
    window.track(request(2, false));
    expect(window.inFlightCount).toBe(2);
    expect(window.windowUsed).toBe(1);
    expect(window.isInFlight(2)).toBe(true);
    window.settle(2);
    expect(window.windowUsed).toBe(1);
    expect(window.settle(2)).toBeUndefined();
  });

  it('clears timers when settling and draining', () => {
    const window = new OutboundWindow(2, 2);
    const fired: number[] = [];
    for (const seq of [1, 2, 3]) {
      const r = request(seq);
      window.enqueue(r);
    }
    for (let r = window.nextToSend(); r !== undefined; r = window.nextToSend()) {
      const seq = r.sequenceNumber;
      r.timer = setTimeout(() => fired.push(seq), 1);
    }
    window.settle(1);
    const all = window.drainAll();
    expect(all.map((r) => r.sequenceNumber)).toEqual([2, 3]);
    expect(all.every((r) => r.timer === undefined)).toBe(true);
    expect(window.inFlightCount + window.queuedCount + window.windowUsed).toBe(0);
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        expect(fired).toEqual([]);
        resolve();
      }, 10),
    );
  });

  it('never has more than `size` windowed requests in flight (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        fc.array(fc.oneof(fc.constant('add' as const), fc.constant('answer' as const)), { maxLength: 200 }),
        (size, maxQueued, ops) => {
          const window = new OutboundWindow(size, maxQueued);
          let seq = 0;
          const sent: number[] = [];
          const accepted: number[] = [];
          const inFlight: number[] = [];
          for (const op of ops) {
            if (op === 'add') {
              seq += 1;
              if (window.enqueue(request(seq))) accepted.push(seq);
            } else if (inFlight.length > 0) {
              window.settle(inFlight.shift()!);
            }
            for (let r = window.nextToSend(); r !== undefined; r = window.nextToSend()) {
              sent.push(r.sequenceNumber);
              inFlight.push(r.sequenceNumber);
            }
            expect(window.windowUsed).toBeLessThanOrEqual(size);
            expect(window.queuedCount).toBeLessThanOrEqual(maxQueued);
          }
          // Sent in the order accepted.
          expect(sent).toEqual(accepted.slice(0, sent.length));
        },
      ),
    );
  });
});
