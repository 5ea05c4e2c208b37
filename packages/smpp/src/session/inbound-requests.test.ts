import { describe, expect, it } from 'vitest';
import { InboundRequests } from './inbound-requests.ts';

describe('InboundRequests', () => {
  it('counts unanswered requests, each reuse of a sequence number separately', () => {
    const inbound = new InboundRequests();
    inbound.add(1);
    inbound.add(2);
    inbound.add(2);
    expect(inbound.count).toBe(3);
    expect(inbound.remove(2)).toBe(true);
    expect(inbound.has(2)).toBe(true);
    expect(inbound.remove(2)).toBe(true);
    expect(inbound.has(2)).toBe(false);
    expect(inbound.remove(2)).toBe(false);
    expect(inbound.count).toBe(1);
    inbound.clear();
    expect(inbound.count).toBe(0);
    expect(inbound.has(1)).toBe(false);
  });
});
