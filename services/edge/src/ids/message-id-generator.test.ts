import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ID_EPOCH_MS, MAX_SEQUENCE, MessageIdGenerator, parseMessageId } from './message-id-generator.ts';

const T0 = Date.UTC(2026, 5, 1);

describe('MessageIdGenerator', () => {
  it('makes decimal ids of at most 19 digits that parse back to their parts', () => {
    const generator = new MessageIdGenerator(1023, { now: () => ID_EPOCH_MS + 2 ** 41 - 1 });
    const id = generator.next();
    expect(id).toMatch(/^\d{1,19}$/);
    expect(parseMessageId(id)).toEqual({ timestampMs: ID_EPOCH_MS + 2 ** 41 - 1, nodeId: 1023, sequence: 0 });
    expect(BigInt(id) < 2n ** 63n).toBe(true);
  });

  it('never repeats within one millisecond, past 4096 ids (borrows the next millisecond)', () => {
    const generator = new MessageIdGenerator(7, { now: () => T0 });
    const ids = Array.from({ length: 3 * (MAX_SEQUENCE + 1) }, () => generator.next());
    expect(new Set(ids).size).toBe(ids.length);
    // Increasing as numbers.
    for (let i = 1; i < ids.length; i++) expect(BigInt(ids[i]!) > BigInt(ids[i - 1]!)).toBe(true);
  });

  it('never repeats or goes backwards when the clock does (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5_000, max: 5_000 }), { minLength: 1, maxLength: 2_000 }),
        (steps) => {
          let clock = T0;
          const generator = new MessageIdGenerator(3, { now: () => clock });
          let last = -1n;
          for (const step of steps) {
            clock += step;
            const id = BigInt(generator.next());
            if (id <= last) return false;
            last = id;
          }
          return true;
        },
      ),
    );
  });

  it('gives distinct ids across node ids at the same instant, and across a restart on a later clock', () => {
    const a = new MessageIdGenerator(1, { now: () => T0 });
    const b = new MessageIdGenerator(2, { now: () => T0 });
    const first = Array.from({ length: 1_000 }, () => [a.next(), b.next()]).flat();
    // The same node id after a restart: the new process starts on a later millisecond.
    const restarted = new MessageIdGenerator(1, { now: () => T0 + 1 });
    const second = Array.from({ length: 1_000 }, () => restarted.next());
    expect(new Set([...first, ...second]).size).toBe(3_000);
  });

  it('stays unique when many generators of distinct nodes run concurrently', async () => {
    const generators = Array.from({ length: 16 }, (_, node) => new MessageIdGenerator(node));
    const batches = await Promise.all(
      generators.map(async (g) => {
        const ids: string[] = [];
        for (let i = 0; i < 2_000; i++) {
          ids.push(g.next());
          if (i % 100 === 0) await Promise.resolve();
        }
        return ids;
      }),
    );
    expect(new Set(batches.flat()).size).toBe(16 * 2_000);
  });

  it('rejects node ids out of range and clocks before the epoch', () => {
    expect(() => new MessageIdGenerator(1024)).toThrow(RangeError);
    expect(() => new MessageIdGenerator(-1)).toThrow(RangeError);
    expect(() => new MessageIdGenerator(0, { now: () => ID_EPOCH_MS - 1 }).next()).toThrow(RangeError);
  });
});

describe('parseMessageId', () => {
  it('refuses what is not an id', () => {
    expect(() => parseMessageId('abc')).toThrow(RangeError);
    expect(() => parseMessageId('9223372036854775808')).toThrow(RangeError);
  });
});
