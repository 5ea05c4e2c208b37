import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { splitPayload } from './split.ts';
import { Reassembler } from './reassembler.ts';
import { SegmentError } from './segment-error.ts';

// A fixed seed keeps the suite deterministic; change it locally to explore further.
fc.configureGlobal({ seed: 0x5eed });

const part = (key: string, reference: number, total: number, sequence: number, text: string) => ({
  key,
  reference,
  total,
  sequence,
  payload: Uint8Array.from(Buffer.from(text)),
});
const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString();

describe('Reassembler', () => {
  it('returns the whole payload when the last part arrives, in any order', () => {
    const r = new Reassembler();
    expect(r.add(part('a>b', 7, 3, 2, 'lo, '), 0)).toBeUndefined();
    expect(r.add(part('a>b', 7, 3, 3, 'world'), 1)).toBeUndefined();
    expect(r.stats.pending).toBe(1);
    expect(r.stats.pendingOctets).toBe(9);
    expect(text(r.add(part('a>b', 7, 3, 1, 'Hel'), 2))).toBe('Hello, world');
    expect(r.stats).toMatchObject({ pending: 0, pendingOctets: 0, completed: 1 });
  });

  it('returns a single-part message at once', () => {
    const r = new Reassembler();
    expect(text(r.add(part('k', 1, 1, 1, 'solo'), 0))).toBe('solo');
    expect(r.stats).toMatchObject({ pending: 0, completed: 1 });
  });

  it('ignores duplicates (first wins) and counts them', () => {
    const r = new Reassembler();
    r.add(part('k', 1, 2, 1, 'AB'), 0);
    expect(r.add(part('k', 1, 2, 1, 'XX'), 0)).toBeUndefined();
    expect(text(r.add(part('k', 1, 2, 2, 'C'), 0))).toBe('ABC');
    expect(r.stats.duplicates).toBe(1);
  });

  it('keeps messages apart by key, reference and total', () => {
    const r = new Reassembler();
    r.add(part('a', 1, 2, 1, 'a1'), 0);
    r.add(part('b', 1, 2, 1, 'b1'), 0);
    r.add(part('a', 2, 2, 1, 'x1'), 0);
    r.add(part('a', 1, 3, 1, 'y1'), 0);
    expect(r.stats.pending).toBe(4);
    expect(text(r.add(part('b', 1, 2, 2, 'b2'), 0))).toBe('b1b2');
    expect(text(r.add(part('a', 1, 2, 2, 'a2'), 0))).toBe('a1a2');
    expect(r.stats.pending).toBe(2);
  });

  it('copies payloads so the caller may reuse its buffer', () => {
    const r = new Reassembler();
    const buffer = Uint8Array.from(Buffer.from('AB'));
    r.add({ key: 'k', reference: 1, total: 2, sequence: 1, payload: buffer }, 0);
    buffer.fill(0x5a);
    expect(text(r.add(part('k', 1, 2, 2, 'C'), 0))).toBe('ABC');
  });

  it('expires messages older than maxAgeMs', () => {
    const r = new Reassembler({ maxAgeMs: 1000 });
    r.add(part('k', 1, 2, 1, 'A'), 0);
    r.add(part('k', 2, 2, 1, 'B'), 500);
    expect(r.sweep(999)).toBe(0);
    expect(r.sweep(1000)).toBe(1);
    expect(r.stats).toMatchObject({ pending: 1, expired: 1, discardedParts: 1, pendingOctets: 1 });
    // The late second part of message 1 starts a new message instead of completing the dropped one.
    expect(r.add(part('k', 1, 2, 2, 'A2'), 1200)).toBeUndefined();
    expect(r.stats).toMatchObject({ pending: 2, expired: 1 });
    expect(text(r.add(part('k', 2, 2, 2, 'B2'), 1499))).toBe('BB2');
    r.add(part('x', 9, 2, 1, 'x'), 5000);
    expect(r.stats).toMatchObject({ pending: 1, expired: 2, discardedParts: 2 });
  });

  it('evicts the oldest message beyond maxPending', () => {
    const r = new Reassembler({ maxPending: 2 });
    r.add(part('k', 1, 2, 1, 'A'), 0);
    r.add(part('k', 2, 2, 1, 'B'), 1);
    r.add(part('k', 3, 3, 1, 'C'), 2);
    r.add(part('k', 3, 3, 2, 'C'), 3);
    expect(r.stats).toMatchObject({ pending: 2, evicted: 1, discardedParts: 1 });
    expect(r.add(part('k', 1, 2, 2, 'A2'), 4)).toBeUndefined(); // message 1 is gone
    expect(r.stats).toMatchObject({ pending: 2, evicted: 2, discardedParts: 2 });
    expect(text(r.add(part('k', 3, 3, 3, 'C'), 5))).toBe('CCC');
  });

  it('evicts the oldest messages beyond maxPendingOctets', () => {
    const r = new Reassembler({ maxPendingOctets: 10 });
    r.add(part('k', 1, 2, 1, 'AAAA'), 0);
    r.add(part('k', 2, 2, 1, 'BBBB'), 0);
    expect(r.stats).toMatchObject({ pending: 2, pendingOctets: 8 });
    r.add(part('k', 3, 2, 1, 'CCCC'), 0);
    expect(r.stats).toMatchObject({ pending: 2, pendingOctets: 8, evicted: 1 });
    r.add(part('k', 4, 2, 1, 'D'.repeat(11)), 0);
    expect(r.stats).toMatchObject({ pending: 0, pendingOctets: 0, evicted: 4, discardedParts: 4 });
  });

  it('rejects impossible parts and bounds with a SegmentError', () => {
    const r = new Reassembler();
    for (const [total, sequence, reference] of [
      [0, 1, 1],
      [2, 0, 1],
      [2, 3, 1],
      [256, 1, 1],
      [2, 1, 70_000],
    ] as const) {
      try {
        r.add(part('k', reference, total, sequence, 'x'), 0);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(SegmentError);
        expect((error as SegmentError).commandStatus).toBe(CommandStatus.ESME_RINVOPTPARAMVAL);
      }
    }
    expect(() => new Reassembler({ maxPending: 0 })).toThrow(SegmentError);
    expect(() => new Reassembler({ maxAgeMs: Number.NaN })).toThrow(SegmentError);
  });

  it('reassembles any split payload from shuffled, duplicated parts', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.func(fc.integer()),
        fc.array(fc.nat(), { maxLength: 10 }),
        (payload, order, duplicates) => {
          const chunks = splitPayload(payload, 4);
          const total = chunks.length;
          const parts = chunks.map((chunk, i) => ({
            key: 'k',
            reference: 42,
            total,
            sequence: i + 1,
            payload: chunk,
          }));
          const arrivals = [...parts, ...duplicates.map((d) => parts[d % total]!)];
          arrivals.sort((a, b) => order(a.sequence) - order(b.sequence));
          const r = new Reassembler();
          const results = arrivals.map((p, i) => r.add(p, i));
          const completed = results.filter((x) => x !== undefined);
          // Duplicates that arrive after completion start a new pending message; the first completion is the payload.
          expect(completed[0]).toEqual(payload);
          expect(r.stats.completed).toBeGreaterThanOrEqual(1);
        },
      ),
    );
  });
});
