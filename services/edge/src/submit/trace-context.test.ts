import { describe, expect, it } from 'vitest';
import { newTraceparent } from './trace-context.ts';

describe('newTraceparent', () => {
  it('makes distinct sampled version-00 contexts, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1_000; i++) {
      const t = newTraceparent();
      expect(t).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      seen.add(t);
    }
    expect(seen.size).toBe(1_000);
  });
});
