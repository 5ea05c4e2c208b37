import { describe, expect, it } from 'vitest';
import { HandedOver } from './handed-over.ts';

describe('HandedOver', () => {
  it('remembers ids for the window, then forgets them, oldest first', () => {
    let now = 0;
    const handed = new HandedOver(1_000, () => now);
    handed.add('a');
    now = 500;
    handed.add('b');
    expect(handed.has('a')).toBe(true);
    expect(handed.has('c')).toBe(false);
    now = 1_200;
    expect(handed.has('a')).toBe(false);
    expect(handed.has('b')).toBe(true);
    handed.add('c');
    expect(handed.size).toBe(2);
    now = 2_000;
    handed.add('d');
    expect(handed.size).toBe(2);
  });
});
