import { describe, expect, it } from 'vitest';
import { nextTurn } from './next-turn.ts';

describe('nextTurn', () => {
  it('resumes every caller of one turn together, after the microtasks, and starts afresh next turn', async () => {
    const order: string[] = [];
    const first = nextTurn().then(() => order.push('a'));
    const second = nextTurn().then(() => order.push('b'));
    void Promise.resolve().then(() => order.push('microtask'));
    expect(nextTurn()).toBe(nextTurn());
    await Promise.all([first, second]);
    expect(order).toEqual(['microtask', 'a', 'b']);
    const before = nextTurn();
    await before;
    expect(nextTurn()).not.toBe(before);
  });
});
