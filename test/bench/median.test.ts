import { describe, expect, it } from 'vitest';
import { median } from './median.ts';

describe('median', () => {
  it('takes the middle of an odd count, whatever the order', () => {
    expect(median([1.38, 0.98, 0.66, 1.16, 1.09])).toBe(1.09);
  });

  it('takes the mean of the two middle values of an even count', () => {
    expect(median([1.28, 0.74])).toBe(1.01);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('is NaN for no values', () => {
    expect(median([])).toBeNaN();
  });
});
