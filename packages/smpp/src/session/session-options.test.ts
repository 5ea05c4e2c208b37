import { describe, expect, it } from 'vitest';
import { DEFAULT_SESSION_OPTIONS, resolveSessionOptions } from './session-options.ts';

describe('resolveSessionOptions', () => {
  it('applies role defaults: the server enforces bind and inactivity timeouts', () => {
    expect(resolveSessionOptions('server')).toEqual(DEFAULT_SESSION_OPTIONS.server);
    expect(resolveSessionOptions('server').bindTimeout).toBeGreaterThan(0);
    expect(resolveSessionOptions('client').bindTimeout).toBe(0);
    expect(resolveSessionOptions('client').inactivityTimeout).toBe(0);
  });

  it('keeps given values, including 0 to turn a timer off', () => {
    const options = resolveSessionOptions('server', {
      windowSize: 3,
      enquireLinkInterval: 0,
      bindTimeout: 50,
    });
    expect(options.windowSize).toBe(3);
    expect(options.enquireLinkInterval).toBe(0);
    expect(options.bindTimeout).toBe(50);
  });

  it('rejects out-of-range values', () => {
    expect(() => resolveSessionOptions('client', { windowSize: 0 })).toThrow(RangeError);
    expect(() => resolveSessionOptions('client', { responseTimeout: 1.5 })).toThrow(RangeError);
    expect(() => resolveSessionOptions('client', { inactivityTimeout: -1 })).toThrow(RangeError);
    expect(() => resolveSessionOptions('client', { enquireLinkInterval: 2 ** 31 })).toThrow(RangeError);
    expect(() => resolveSessionOptions('client', { maxCommandLength: 15 })).toThrow(RangeError);
  });
});
