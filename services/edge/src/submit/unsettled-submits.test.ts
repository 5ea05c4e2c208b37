import { describe, expect, it } from 'vitest';
import { UnsettledSubmits } from './unsettled-submits.ts';

/** A memory on a clock the test moves. */
function memory(ttlMs = 1_000, maxEntries = 100): { m: UnsettledSubmits; advance: (ms: number) => void } {
  let now = 0;
  const m = new UnsettledSubmits({ ttlMs, maxEntries, now: () => now });
  return {
    m,
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('UnsettledSubmits', () => {
  it('gives a retry the first attempt, once: the next identical submit is a new message', () => {
    const { m } = memory();
    expect(m.has('acme')).toBe(false);
    m.remember('acme', 'fp', 'id-1', 'sms.submit.acme');
    expect(m.has('acme')).toBe(true);
    expect(m.has('other')).toBe(false);
    const retry = m.claim('acme', 'fp');
    expect(retry).toMatchObject({ messageId: 'id-1', subject: 'sms.submit.acme', stored: false });
    expect(m.claim('acme', 'fp')).toBeUndefined(); // held by the retry in flight
    if (retry === undefined) throw new Error('no entry');
    m.settle(retry);
    expect(m.claim('acme', 'fp')).toBeUndefined();
    expect(m.has('acme')).toBe(false);
    expect(m.size).toBe(0);
  });

  it('lets the next retry take an entry whose retry failed again', () => {
    const { m } = memory();
    m.remember('acme', 'fp', 'id-1', 's');
    const first = m.claim('acme', 'fp');
    if (first === undefined) throw new Error('no entry');
    m.release(first);
    expect(m.claim('acme', 'fp')?.messageId).toBe('id-1');
  });

  it('keeps identical submits apart: each retry takes the oldest entry left', () => {
    const { m } = memory();
    m.remember('acme', 'fp', 'id-1', 's');
    m.remember('acme', 'fp', 'id-2', 's');
    m.remember('acme', 'other', 'id-3', 's');
    m.remember('globex', 'fp', 'id-4', 's');
    expect(m.claim('acme', 'fp')?.messageId).toBe('id-1');
    expect(m.claim('acme', 'fp')?.messageId).toBe('id-2');
    expect(m.claim('acme', 'fp')).toBeUndefined();
    expect(m.claim('globex', 'fp')?.messageId).toBe('id-4');
    expect(m.claim('acme', 'other')?.messageId).toBe('id-3');
  });

  it('marks an entry stored when a late PubAck names its id', () => {
    const { m } = memory();
    m.remember('acme', 'fp', 'id-1', 's');
    expect(m.markStored('id-9')).toBeUndefined();
    expect(m.markStored('id-1')?.stored).toBe(true);
    expect(m.claim('acme', 'fp')?.stored).toBe(true);
  });

  it('forgets entries after the ttl, counted from the first attempt', () => {
    const { m, advance } = memory(1_000);
    m.remember('acme', 'fp', 'id-1', 's');
    advance(600);
    m.remember('acme', 'fp', 'id-2', 's');
    const retry = m.claim('acme', 'fp');
    if (retry === undefined) throw new Error('no entry');
    m.release(retry); // a failed retry does not renew it
    advance(500);
    expect(m.size).toBe(1);
    expect(m.markStored('id-1')).toBeUndefined();
    expect(m.claim('acme', 'fp')?.messageId).toBe('id-2');
    advance(600);
    expect(m.has('acme')).toBe(false);
    expect(m.size).toBe(0);
  });

  it('holds at most maxEntries, forgetting the oldest first', () => {
    const { m } = memory(60_000, 3);
    for (let i = 1; i <= 5; i++) m.remember('acme', `fp${i}`, `id-${i}`, 's');
    expect(m.size).toBe(3);
    expect(m.claim('acme', 'fp1')).toBeUndefined();
    expect(m.claim('acme', 'fp2')).toBeUndefined();
    expect(m.claim('acme', 'fp5')?.messageId).toBe('id-5');
  });

  it('stays bounded under a long outage: 100,000 failures in a memory of 1,000', () => {
    const { m, advance } = memory(120_000, 1_000);
    for (let i = 0; i < 100_000; i++) {
      m.remember(`a${i % 7}`, `fp${i % 13}`, `id-${i}`, 's');
      if (i % 1_000 === 0) advance(1);
    }
    expect(m.size).toBe(1_000);
    advance(120_000);
    expect(m.size).toBe(0);
    for (let i = 0; i < 7; i++) expect(m.has(`a${i}`)).toBe(false);
  });

  it('settling or releasing an entry already forgotten changes nothing', () => {
    const { m, advance } = memory(1_000);
    m.remember('acme', 'fp', 'id-1', 's');
    const retry = m.claim('acme', 'fp');
    if (retry === undefined) throw new Error('no entry');
    advance(2_000);
    m.remember('acme', 'fp', 'id-2', 's');
    m.settle(retry);
    m.release(retry);
    expect(m.size).toBe(1);
    expect(m.claim('acme', 'fp')?.messageId).toBe('id-2');
  });

  it('remembers nothing when turned off', () => {
    const { m } = memory(0);
    expect(m.enabled).toBe(false);
    expect(m.remember('acme', 'fp', 'id-1', 's')).toBe(false);
    expect(m.has('acme')).toBe(false);
  });
});
