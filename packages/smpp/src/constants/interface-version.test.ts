import { describe, expect, it } from 'vitest';
import { InterfaceVersion, supportsTlvs } from './interface-version.ts';

describe('InterfaceVersion', () => {
  it('has the spec values', () => {
    expect(InterfaceVersion).toEqual({ SMPP_3_3: 0x33, SMPP_3_4: 0x34, SMPP_5_0: 0x50 });
  });
});

describe('supportsTlvs', () => {
  it.each([
    [0x00, false],
    [0x33, false],
    [0x34, true],
    [0x50, true],
    [0xff, true],
  ])('%i → %s', (version, expected) => {
    expect(supportsTlvs(version)).toBe(expected);
  });
});
