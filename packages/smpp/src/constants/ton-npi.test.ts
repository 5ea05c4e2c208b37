import { describe, expect, it } from 'vitest';
import { Npi, npiNameOf, Ton, tonNameOf } from './ton-npi.ts';

describe('Ton', () => {
  it('has the spec values 0..6', () => {
    expect(Object.values(Ton)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Ton.INTERNATIONAL).toBe(1);
    expect(Ton.ALPHANUMERIC).toBe(5);
  });

  it('names values and rejects undefined ones', () => {
    expect(tonNameOf(1)).toBe('INTERNATIONAL');
    expect(tonNameOf(6)).toBe('ABBREVIATED');
    expect(tonNameOf(7)).toBeUndefined();
  });
});

describe('Npi', () => {
  it('has the spec values', () => {
    expect(Object.values(Npi)).toEqual([0, 1, 3, 4, 6, 8, 9, 10, 14, 18]);
  });

  it('names values and rejects undefined ones', () => {
    expect(npiNameOf(1)).toBe('ISDN');
    expect(npiNameOf(14)).toBe('INTERNET');
    expect(npiNameOf(2)).toBeUndefined();
    expect(npiNameOf(18)).toBe('WAP_CLIENT_ID');
  });
});
