import { describe, expect, it } from 'vitest';
import { hasDestinationPrefix } from './destination.ts';

describe('hasDestinationPrefix', () => {
  it('matches digit prefixes, with or without a leading + on the destination', () => {
    expect(hasDestinationPrefix('4512345678', '45')).toBe(true);
    expect(hasDestinationPrefix('+4512345678', '45')).toBe(true);
    expect(hasDestinationPrefix('4512345678', '4512345678')).toBe(true);
    expect(hasDestinationPrefix('4612345678', '45')).toBe(false);
    expect(hasDestinationPrefix('45', '451')).toBe(false);
    expect(hasDestinationPrefix('0045123', '45')).toBe(false);
  });

  it('an empty prefix matches everything, even an empty destination', () => {
    for (const d of ['', '+', '45']) expect(hasDestinationPrefix(d, '')).toBe(true);
  });
});
