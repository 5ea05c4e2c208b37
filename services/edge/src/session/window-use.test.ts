/** Window use summed over sessions: submit windows of TX/TRX, deliver windows of RX/TRX, capped per session. */
import type { BindType } from '@smsgw/accounts';
import type { SmppSession } from '@smsgw/smpp';
import { describe, expect, it } from 'vitest';
import type { BoundSession } from './session-registry.ts';
import { readWindowUse } from './window-use.ts';

interface FakeWindows {
  readonly pendingInbound?: number;
  readonly inFlightRequests?: number;
  readonly queuedRequests?: number;
  readonly inboundWindow?: number;
  readonly windowSize?: number;
}

let next = 0;
function bound(bindType: BindType, w: FakeWindows = {}): BoundSession {
  const session = {
    pendingInbound: w.pendingInbound ?? 0,
    inFlightRequests: w.inFlightRequests ?? 0,
    queuedRequests: w.queuedRequests ?? 0,
    options: { inboundWindow: w.inboundWindow ?? 100, windowSize: w.windowSize ?? 10 },
  } as unknown as SmppSession;
  return { session, sessionId: `s${String(++next)}`, systemId: 'acme', bindType, interfaceVersion: 0x34 };
}

describe('readWindowUse', () => {
  it('is all zero without sessions', () => {
    expect(readWindowUse([])).toEqual({
      submit: { used: 0, slots: 0, full: 0, maxRatio: 0 },
      deliver: { used: 0, slots: 0, full: 0, maxRatio: 0 },
    });
  });

  it('counts submit windows of transmitters and transceivers, deliver windows of receivers and transceivers', () => {
    const reading = readWindowUse([
      new Set([
        bound('transmitter', { pendingInbound: 25, inFlightRequests: 1 }),
        bound('receiver', { pendingInbound: 1, inFlightRequests: 4 }),
      ]),
      new Set([bound('transceiver', { pendingInbound: 100, inFlightRequests: 2, queuedRequests: 1 })]),
    ]);
    expect(reading.submit).toEqual({ used: 125, slots: 200, full: 1, maxRatio: 1 });
    expect(reading.deliver).toEqual({ used: 7, slots: 20, full: 0, maxRatio: 0.4 });
  });

  it('counts a session at most up to its window (queued requests beyond it make it full)', () => {
    const reading = readWindowUse([
      new Set([bound('receiver', { inFlightRequests: 10, queuedRequests: 5, windowSize: 10 })]),
    ]);
    expect(reading.deliver).toEqual({ used: 10, slots: 10, full: 1, maxRatio: 1 });
  });
});
