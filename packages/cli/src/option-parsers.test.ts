import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  durationMs,
  integerIn,
  integerList,
  list,
  listOf,
  oneOf,
  validitySeconds,
} from './option-parsers.ts';

describe('option parsers', () => {
  it('integerIn accepts decimal and hex in range only', () => {
    expect(integerIn(0, 3)('2')).toBe(2);
    expect(integerIn(0, 255)('0x1f')).toBe(31);
    for (const bad of ['4', '-1', '1.5', 'x', ''])
      expect(() => integerIn(0, 3)(bad)).toThrow(InvalidArgumentError);
  });

  it('list, listOf, integerList and oneOf', () => {
    expect(list(' a, b,,c ')).toEqual(['a', 'b', 'c']);
    expect(listOf(['x', 'y'] as const)('y,x')).toEqual(['y', 'x']);
    expect(() => listOf(['x'] as const)('x,z')).toThrow(InvalidArgumentError);
    expect(() => listOf(['x'] as const)('')).toThrow(InvalidArgumentError);
    expect(integerList(0, 3)('0,3')).toEqual([0, 3]);
    expect(oneOf(['udh', 'sar'] as const)('sar')).toBe('sar');
    expect(() => oneOf(['udh'] as const)('UDH')).toThrow(InvalidArgumentError);
  });

  it('validitySeconds reads s, m, h and d between 1 minute and 30 days', () => {
    expect(validitySeconds('48h')).toBe(172_800);
    expect(validitySeconds('90m')).toBe(5_400);
    expect(validitySeconds('3600s')).toBe(3_600);
    expect(validitySeconds('30d')).toBe(2_592_000);
    for (const bad of ['59s', '31d', '48', 'soon', '1.5h']) {
      expect(() => validitySeconds(bad)).toThrow(InvalidArgumentError);
    }
  });

  it('durationMs reads seconds by default, ms and minutes with a unit', () => {
    expect(durationMs('30')).toBe(30_000);
    expect(durationMs('1.5s')).toBe(1_500);
    expect(durationMs('250ms')).toBe(250);
    expect(durationMs('2m')).toBe(120_000);
    for (const bad of ['0', '-1', 'soon', '3h']) expect(() => durationMs(bad)).toThrow(InvalidArgumentError);
  });
});
