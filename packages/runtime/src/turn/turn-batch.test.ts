import { describe, expect, it } from 'vitest';
import { TurnBatch } from './turn-batch.ts';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('TurnBatch', () => {
  it("hands over a turn's items together, in order, at the end of the turn", async () => {
    const handed: number[][] = [];
    const batch = new TurnBatch<number>((items) => handed.push(items));
    batch.push(1);
    batch.push(2);
    await Promise.resolve();
    batch.push(3);
    expect(handed).toEqual([]);
    expect(batch.size).toBe(3);
    await nextTurn();
    expect(handed).toEqual([[1, 2, 3]]);
    batch.push(4);
    await nextTurn();
    expect(handed).toEqual([[1, 2, 3], [4]]);
  });

  it('flushes at once when asked, and the end of the turn then has nothing to hand over', async () => {
    const handed: number[][] = [];
    const batch = new TurnBatch<number>((items) => handed.push(items));
    batch.push(1);
    batch.flush();
    expect(handed).toEqual([[1]]);
    await nextTurn();
    expect(handed).toEqual([[1]]);
  });

  it('drops what clear() finds queued', async () => {
    const handed: number[][] = [];
    const batch = new TurnBatch<number>((items) => handed.push(items));
    batch.push(1);
    batch.clear();
    expect(batch.size).toBe(0);
    await nextTurn();
    expect(handed).toEqual([]);
  });
});
