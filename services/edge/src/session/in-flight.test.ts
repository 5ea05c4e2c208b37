import { describe, expect, it } from 'vitest';
import { InFlight } from './in-flight.ts';

describe('InFlight', () => {
  it('is idle at once when nothing is in flight', async () => {
    const inFlight = new InFlight();
    await inFlight.idle();
    expect(inFlight.count).toBe(0);
  });

  it('wakes every waiter when the count returns to zero, not before', async () => {
    const inFlight = new InFlight();
    inFlight.add();
    inFlight.add();
    let woken = 0;
    const waiters = [inFlight.idle(), inFlight.idle()].map((p) => p.then(() => woken++));
    inFlight.done();
    await Promise.resolve();
    expect(woken).toBe(0);
    inFlight.done();
    await Promise.all(waiters);
    expect(woken).toBe(2);
    expect(inFlight.count).toBe(0);
  });

  it('never goes below zero', () => {
    const inFlight = new InFlight();
    inFlight.done();
    expect(inFlight.count).toBe(0);
  });
});
